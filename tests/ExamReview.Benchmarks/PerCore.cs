using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ExamReview.Benchmarks;

/// <summary>
/// Per-core cost of the floor and the pipeline, measured side by side so load from other processes on a
/// shared machine hits both alike.
/// </summary>
/// <remarks>
/// Why CPU time and not one thread's wall clock: libvips saves through a write-behind thread, so while the
/// encoder compresses one strip on that thread, the calling thread already decodes the next one. The floor
/// (load → save, one libvips pipeline) therefore keeps about 1.5 cores busy per document, and its single-thread
/// wall clock understates what a document costs a core. When every core is busy — the registration peak —
/// throughput per core is 1 / CPU time per document. Both views are printed; the verdict reads CPU time and the
/// all-cores run, each of which counts the floor's second thread.
/// </remarks>
internal static partial class PerCore
{
    public sealed record Figures(double FloorCpuMs, double PipelineCpuMs, double FloorWallMs, double PipelineWallMs)
    {
        public double CpuRatio => PipelineCpuMs / FloorCpuMs;

        public double WallRatio => PipelineWallMs / FloorWallMs;
    }

    /// <summary>
    /// One calling thread: blocks of <paramref name="blockSize"/> documents, floor block and pipeline block
    /// alternating. CPU time is the whole process's (every libvips thread and the runtime's); wall time is the
    /// median block.
    /// </summary>
    public static Figures OneThread(Func<byte[], int> floor, Func<byte[], int> pipeline, byte[][] corpus, int blocks, int blockSize)
    {
        double floorCpu = 0, pipelineCpu = 0;
        var floorWall = new double[blocks];
        var pipelineWall = new double[blocks];
        for (var b = -2; b < blocks; b++)
        {
            var (cpu0, wall0) = (ProcessCpuMs(), Stopwatch.GetTimestamp());
            for (var i = 0; i < blockSize; i++)
            {
                floor(corpus[i % corpus.Length]);
            }

            var (cpu1, wall1) = (ProcessCpuMs(), Stopwatch.GetTimestamp());
            for (var i = 0; i < blockSize; i++)
            {
                pipeline(corpus[i % corpus.Length]);
            }

            var (cpu2, wall2) = (ProcessCpuMs(), Stopwatch.GetTimestamp());
            if (b < 0)
            {
                continue; // warm-up
            }

            floorCpu += cpu1 - cpu0;
            pipelineCpu += cpu2 - cpu1;
            floorWall[b] = Stopwatch.GetElapsedTime(wall0, wall1).TotalMilliseconds / blockSize;
            pipelineWall[b] = Stopwatch.GetElapsedTime(wall1, wall2).TotalMilliseconds / blockSize;
        }

        var documents = (double)blocks * blockSize;
        return new Figures(floorCpu / documents, pipelineCpu / documents, Median(floorWall), Median(pipelineWall));
    }

    /// <summary>
    /// All cores: bursts of documents on <paramref name="threads"/> threads, a floor burst and a pipeline burst
    /// alternating; returns milliseconds of wall clock per document for each (throughput = 1000 / that), and the
    /// process's CPU time per document in the same bursts (what other processes on a shared machine do not change).
    /// </summary>
    public static (double FloorMs, double PipelineMs, double FloorCpuMs, double PipelineCpuMs) AllCores(Func<byte[], int> floor, Func<byte[], int> pipeline, byte[][] corpus, int threads, int bursts, int burstSize)
    {
        double floorMs = 0, pipelineMs = 0, floorCpu = 0, pipelineCpu = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        for (var b = -1; b < bursts; b++)
        {
            var (t0, c0) = (Stopwatch.GetTimestamp(), ProcessCpuMs());
            Parallel.For(0, burstSize, parallel, i => floor(corpus[i % corpus.Length]));
            var (t1, c1) = (Stopwatch.GetTimestamp(), ProcessCpuMs());
            Parallel.For(0, burstSize, parallel, i => pipeline(corpus[i % corpus.Length]));
            var (t2, c2) = (Stopwatch.GetTimestamp(), ProcessCpuMs());
            if (b >= 0)
            {
                floorMs += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                pipelineMs += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
                floorCpu += c1 - c0;
                pipelineCpu += c2 - c1;
            }
        }

        var documents = (double)bursts * burstSize;
        return (floorMs / documents, pipelineMs / documents, floorCpu / documents, pipelineCpu / documents);
    }

    /// <summary>CPU time of the whole process so far, in milliseconds, at nanosecond resolution.</summary>
    public static double ProcessCpuMs()
    {
        if (ClockGetTime(ProcessCpuTimeClock, out var now) != 0)
        {
            throw new InvalidOperationException($"clock_gettime failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (now.Seconds * 1000.0) + (now.Nanoseconds / 1e6);
    }

    private const int ProcessCpuTimeClock = 2; // CLOCK_PROCESS_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
