using System.Diagnostics;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using Xunit;
using Xunit.Abstractions;

namespace ExamReview.ImageValidation.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "memory (runs alone)";
}

/// <summary>
/// Thousands of load/process/save cycles must not grow the process: every native handle is released,
/// libvips' cache is bounded, and managed buffers are collectable.
/// </summary>
[Collection(MemoryCollection.Name)]
public class MemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Memory_stays_flat_over_thousands_of_load_process_save_cycles()
    {
        var document = TestImages.DocumentJpeg(360, 480, noise: 3, quality: 80);
        var photo = TestImages.PortraitJpeg(200, 290, TestImages.White);
        var inspector = new DocumentInspector(new DocumentOptions { MaxFileBytes = int.MaxValue, MinShortSide = 100 });
        var watermarker = new Watermarker(new WatermarkOptions());
        var normaliser = new Normaliser(new NormaliserOptions { MaxOutputBytes = 30_000, MinShortSide = 200 });
        var photoTool = new PhotoTool(new PhotoOptions(), new PassMark(new PassMarkKeyRing(new PassMarkKey("mem", new byte[32]))));
        var bomb = TestData.PngBomb(30000, 30000);

        void Cycle(int i)
        {
            switch (i % 5)
            {
                case 0:
                case 1:
                    Assert.True(inspector.Inspect(document).Passed);
                    break;
                case 2:
                    Assert.True(watermarker.Apply(document, "2025110105000123").Length > 1000);
                    break;
                case 3:
                    Assert.True(photoTool.Process(photo).Passed);
                    break;
                default:
                    Assert.True(normaliser.Normalise(document).Succeeded);
                    Assert.False(inspector.Inspect(bomb).Passed); // refusals must not leak either
                    break;
            }
        }

        for (var i = 0; i < 200; i++)
        {
            Cycle(i); // warm-up: JIT, libvips buffers, glibc arenas, fontconfig
        }

        var baseline = Snapshot();
        const int Cycles = 2000;
        var timer = Stopwatch.StartNew();
        var peakRss = baseline.Rss;
        for (var i = 0; i < Cycles; i++)
        {
            Cycle(i);
            if (i % 250 == 0)
            {
                peakRss = Math.Max(peakRss, Process.GetCurrentProcess().WorkingSet64);
            }
        }

        timer.Stop();
        var after = Snapshot();
        output.WriteLine($"{Cycles} cycles in {timer.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"baseline: {baseline}");
        output.WriteLine($"after:    {after}");
        output.WriteLine($"growth: RSS {(after.Rss - baseline.Rss) / 1048576.0:F1} MB, private {(after.Private - baseline.Private) / 1048576.0:F1} MB, managed {(after.Managed - baseline.Managed) / 1048576.0:F1} MB, peak RSS {peakRss / 1048576.0:F1} MB");

        Assert.True(after.VipsAllocations - baseline.VipsAllocations < 64, "libvips allocations released"); // images and pixels freed, deterministically
        Assert.True(after.VipsTracked - baseline.VipsTracked < 8L * 1024 * 1024, "libvips pixel memory returned");
        Assert.True(after.Managed - baseline.Managed < 32L * 1024 * 1024, "managed heap flat");
        Assert.True(after.Rss - baseline.Rss < 96L * 1024 * 1024, "process RSS flat within 96 MB");
        Assert.True(after.Private - baseline.Private < 128L * 1024 * 1024, "private memory flat within 128 MB");
    }

    private static MemorySnapshot Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return new MemorySnapshot(process.WorkingSet64, process.PrivateMemorySize64, GC.GetTotalMemory(false), VipsRuntime.TrackedMemoryBytes, VipsRuntime.TrackedAllocations);
    }

    private sealed record MemorySnapshot(long Rss, long Private, long Managed, long VipsTracked, long VipsAllocations)
    {
        public override string ToString() =>
            $"RSS {Rss / 1048576.0:F1} MB, private {Private / 1048576.0:F1} MB, managed {Managed / 1048576.0:F1} MB, vips tracked {VipsTracked / 1048576.0:F1} MB, live libvips allocations {VipsAllocations}";
    }
}
