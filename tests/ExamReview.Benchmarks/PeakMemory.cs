using System.Diagnostics;
using System.Globalization;
using ExamReview.ImageValidation.Tests;
using ExamReview.Imaging;

namespace ExamReview.Benchmarks;

/// <summary>
/// Peak memory of one scenario, measured in a fresh child process so earlier work (the corpus build, the
/// benchmarks) does not hide it: VmHWM (Linux peak RSS, reset by writing 5 to /proc/self/clear_refs)
/// covers native libvips buffers and the GC heap alike; libvips' tracked high-water mark isolates pixel memory.
/// </summary>
internal static class PeakMemory
{
    public static string RunChild(string scenario, string corpusDir)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--peak-child");
        start.ArgumentList.Add(scenario);
        start.ArgumentList.Add(corpusDir);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.StandardError.ReadToEnd();
        child.WaitForExit();
        return child.ExitCode == 0 ? output.Trim() : $"child failed ({child.ExitCode}): {output.Trim()}";
    }

    public static int Child(string scenario, string corpusDir)
    {
        VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
        var corpus = Directory.GetFiles(corpusDir, "*.jpg").Order().Select(File.ReadAllBytes).ToArray();
        var pipeline = new DocumentThroughput();
        pipeline.Setup(corpus);
        Func<byte[], int> run = scenario == "floor" ? pipeline.FloorOf : pipeline.PipelineOf;

        // Warm up on a tiny document: JIT, fontconfig/pango, libvips type system and thread pool.
        var tiny = TestImages.DocumentJpeg(700, 700);
        run(tiny);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        var baseline = Read("VmRSS:");
        var vipsBefore = VipsRuntime.TrackedMemoryHighWaterBytes;
        foreach (var document in corpus)
        {
            run(document);
        }

        var peak = Read("VmHWM:");
        var vipsPeak = VipsRuntime.TrackedMemoryHighWaterBytes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak RSS +{(peak - baseline) / 1048576.0:F1} MB over {baseline / 1048576.0:F0} MB warm baseline; libvips pixel memory high-water {Math.Max(vipsPeak, vipsBefore) / 1048576.0:F1} MB"));
        return 0;
    }

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/self/status");
    }
}
