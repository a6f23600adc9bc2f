using System.Diagnostics;
using System.Globalization;
using ExamReview.ImageValidation.Tests;
using ExamReview.Imaging;

namespace ExamReview.Benchmarks;

/// <summary>
/// Peak memory per image in flight, measured in a fresh child process so earlier work (the corpus build, the
/// benchmarks) does not hide it. The child warms up (JIT, fontconfig/Pango, libvips), collects garbage,
/// resets the kernel's peak-RSS counter (writing 5 to /proc/self/clear_refs resets VmHWM), notes VmRSS as the
/// baseline, then pushes the corpus through the scenario several times with N documents in flight at once
/// (N worker threads). Peak per image = (VmHWM − baseline) / N. VmHWM counts everything the process touched
/// (libvips' native pixel buffers, the GC heap including garbage not yet collected, thread stacks), so the
/// figure is an upper bound; libvips' own tracked high-water mark (pixel memory only) is printed beside it.
/// </summary>
internal static class PeakMemory
{
    public sealed record Result(string Scenario, int InFlight, double PeakBytes, double BaselineBytes, double VipsPeakBytes)
    {
        public double PerImageBytes => PeakBytes / InFlight;
    }

    public static Result? RunChild(string scenario, int inFlight, string corpusDir, out string failure)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under "dotnet run" the process is the dotnet host running our dll: pass the dll on.
        if (Path.GetFileName(Environment.ProcessPath!) is "dotnet" or "dotnet.exe")
        {
            start.ArgumentList.Add(typeof(PeakMemory).Assembly.Location);
        }

        start.ArgumentList.Add("--peak-child");
        start.ArgumentList.Add(scenario);
        start.ArgumentList.Add(inFlight.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(corpusDir);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        var errors = child.StandardError.ReadToEnd();
        child.WaitForExit();
        var fields = output.Trim().Split(' ');
        if (child.ExitCode != 0 || fields.Length != 3)
        {
            failure = $"child failed ({child.ExitCode}): {output.Trim()} {errors.Trim()}";
            return null;
        }

        failure = string.Empty;
        return new Result(scenario, inFlight,
            double.Parse(fields[0], CultureInfo.InvariantCulture),
            double.Parse(fields[1], CultureInfo.InvariantCulture),
            double.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    public static int Child(string scenario, int inFlight, string corpusDir)
    {
        VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
        // "bomb": the pipeline on the small PNG that declares 6000 × 6000 (bomb.png), whatever it finds.
        var bomb = scenario == "bomb";
        var corpus = Directory.GetFiles(corpusDir, bomb ? "bomb.png" : "*.jpg").Order().Select(File.ReadAllBytes).ToArray();
        var pipeline = new DocumentThroughput();
        pipeline.Setup(corpus);
        Func<byte[], int> run = scenario switch
        {
            "floor" => pipeline.FloorOf,
            "bomb" => pipeline.AnyOf,
            _ => pipeline.PipelineOf,
        };

        // Warm up on a tiny document on every worker thread: JIT, fontconfig/pango, libvips type system.
        var tiny = TestImages.DocumentJpeg(700, 700);
        if (bomb)
        {
            // Warm the paths the bomb takes (PNG loader, shrink on load, a large watermark tile's glyphs): one-off
            // caches are not memory per image in flight.
            Parallel.For(0, inFlight * 2, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, _ => pipeline.AnyOf(corpus[0]));
        }

        Parallel.For(0, inFlight * 2, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, _ => run(tiny));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        var baseline = Read("VmRSS:");
        var vipsBefore = VipsRuntime.TrackedMemoryHighWaterBytes;
        var rounds = bomb ? 4 : 5;
        Parallel.For(0, rounds * Math.Max(corpus.Length, inFlight), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, i => run(corpus[i % corpus.Length]));

        var peak = Read("VmHWM:");
        var vipsPeak = Math.Max(VipsRuntime.TrackedMemoryHighWaterBytes, vipsBefore);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, peak - baseline)} {baseline} {vipsPeak}"));
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
