using ExamReview.ImageValidation.Processing;
using NetVips;
using Xunit;
using Xunit.Abstractions;

namespace ExamReview.ImageValidation.Tests;

/// <summary>
/// Every image the upload limits admit stays within a bounded memory per image in flight: a small PNG that
/// declares tens of megapixels is decoded shrunk while loading, and a gate bounds how many decode at once.
/// </summary>
[Collection(MemoryCollection.Name)]
public class DecodeBudgetTests(ITestOutputHelper output)
{
    /// <summary>A sparse 6000 × 6000 page as PNG: well under 200 KB, 108 MB as sRGB at full size.</summary>
    private static readonly Lazy<byte[]> Bomb = new(() =>
    {
        using var text = Image.Text("中华人民共和国医师资格考试 报名材料 毕业证书 Certificate No. 2024-110105-0042", font: "WenQuanYi Micro Hei 120px", width: 4800);
        using var ink = text.Linear([-0.9], [245.0], uchar: true);
        using var page = ink.Embed(600, 800, 6000, 6000, extend: Enums.Extend.Background, background: [245]);
        using var srgb = page.Colourspace(Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer(compression: 9, keep: Enums.ForeignKeep.None);
    });

    [Fact]
    public void A_small_png_of_tens_of_megapixels_is_judged_at_its_size_but_decoded_shrunk_within_the_budget()
    {
        var options = new DocumentOptions();
        var pipeline = new DocumentPipeline(options, new WatermarkOptions());
        var bomb = Bomb.Value;
        Assert.InRange(bomb.Length, 1, options.MaxFileBytes);
        pipeline.Process(TestImages.DocumentJpeg(700, 900), "2025110105000001"); // warm: JIT, fonts

        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM
        var before = Status("VmRSS:");
        var result = pipeline.Process(bomb, "2025110105000002");
        var peak = Status("VmHWM:") - before;
        output.WriteLine($"{bomb.Length} B PNG of 6000x6000: peak +{peak / 1048576.0:F1} MB");

        Assert.Equal((6000, 6000), (result.Inspection.Width, result.Inspection.Height)); // the stored size is what the rules see
        Assert.True(result.Inspection.Passed, string.Join("; ", result.Inspection.Findings.Select(f => $"{f.Code} {f.Measured}")));
        using var copy = Image.NewFromBuffer(result.WatermarkedJpeg!);
        Assert.InRange((long)copy.Width * copy.Height, 3_000_000, options.MaxDecodedPixels);

        // Decoded at full size it would take 108 MB for the pixels alone (the libvips binding before took ~430 MB).
        Assert.True(peak < 80L * 1024 * 1024, $"peak +{peak / 1048576.0:F1} MB for one image in flight");
    }

    [Fact]
    public async Task The_decode_gate_holds_callers_until_a_slot_is_free()
    {
        using var gate = new DecodeGate(1);
        var inspector = new DocumentInspector(new DocumentOptions(), gate);
        var document = TestImages.DocumentJpeg(700, 900);
        Task<DocumentInspection> waiting;
        using (gate.Enter())
        {
            Assert.Equal(0, gate.Available);
            waiting = Task.Run(() => inspector.Inspect(document));
            var first = await Task.WhenAny(waiting, Task.Delay(300));
            Assert.NotSame(waiting, first); // the inspection waits for the slot
        }

        var inspection = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((700, 900), (inspection.Width, inspection.Height)); // it ran once the slot was free
        Assert.Equal(1, gate.Available);
    }

    [Fact]
    public async Task Waiting_for_a_slot_through_RunAsync_holds_no_thread_and_the_work_does_not_take_a_second_slot()
    {
        using var gate = new DecodeGate(1);
        var pipeline = new DocumentPipeline(new DocumentOptions(), new WatermarkOptions(), gate);
        var document = TestImages.DocumentJpeg(700, 900);
        var waiters = new List<Task<DocumentProcessingResult>>();
        using (gate.Enter())
        {
            // Fifty callers on this one thread while the only slot is taken: each call returns at once with a task
            // that waits (a blocking wait would never return here, since the slot is released below on this thread).
            for (var i = 0; i < 50; i++)
            {
                waiters.Add(gate.RunAsync(() => pipeline.Process(document, "2027430100001"), CancellationToken.None));
            }
            await Task.Delay(100);
            Assert.All(waiters, w => Assert.False(w.IsCompleted));
        }

        // Once the slot is free each runs in turn; the pipeline's own Enter inside finds the slot held (one slot: a
        // second Enter would wait for ever).
        var results = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.NotNull(r.WatermarkedJpeg));
        Assert.Equal(1, gate.Available);
        using (gate.Enter())
        {
            Assert.Equal(0, gate.Available); // outside RunAsync, Enter takes the slot again
        }
    }

    [Fact]
    public async Task A_caller_cancelled_while_waiting_for_a_slot_leaves_the_gate_as_it_was()
    {
        using var gate = new DecodeGate(1);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        Task<bool> waiting;
        using (gate.Enter())
        {
            waiting = gate.RunAsync(() => ran = true, cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        Assert.False(ran);
        Assert.Equal(1, gate.Available);
    }

    [Fact]
    public async Task Work_that_throws_gives_its_slot_back()
    {
        using var gate = new DecodeGate(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>(() => throw new InvalidOperationException("boom"), CancellationToken.None));
        Assert.Equal(1, gate.Available);
        Assert.Equal(42, await gate.RunAsync(() => 42, CancellationToken.None));
    }

    [Fact]
    public void The_gate_is_one_slot_per_core_unless_configured()
    {
        using var cores = new DecodeGate(0);
        using var three = new DecodeGate(3);
        Assert.Equal(Environment.ProcessorCount, cores.Slots);
        Assert.Equal(3, three.Slots);
    }

    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException(field);
    }
}
