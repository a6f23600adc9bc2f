using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class ProcessCpuTests
{
    [Fact]
    public void Switches_are_counted_per_thread_so_an_ended_thread_does_not_cancel_a_busy_one()
    {
        // Thread 11 ended with 900 switches; 12 switched 50 more times; 13 started and switched 7 times. Summing each
        // sample first gave 1,000 before and 157 after: a negative difference, shown as 0 (the stub "at rest" with
        // 1.4 % of a core and 0 switches/s, session 13).
        var before = new ProcessCpu.Sample(1, "Stub", 10, Threads((11, 900), (12, 100)));
        var after = new ProcessCpu.Sample(1, "Stub", 11, Threads((12, 150), (13, 7)));

        Assert.Equal(57, after.SwitchesSince(before));
        Assert.Equal(157, after.SwitchesSince(null));
        var delta = Assert.Single(ProcessCpu.Delta([before], [after]));
        Assert.Equal(new ProcessCpu.ProcessDelta("Stub", 1.0, 57L, 0, 1), delta);
    }

    [Fact]
    public void The_JIT_worker_threads_CPU_is_counted_apart_and_a_new_worker_counts_whole()
    {
        // Worker 21 compiled for 0.3 s more; it retired and worker 22 started and used 0.2 s; the pool thread's CPU
        // is work, not JIT. Two replicas of one service are summed.
        var before = new ProcessCpu.Sample(1, "MaterialStorage", 10, new Dictionary<int, ProcessCpu.ThreadSample>
        {
            [20] = new(".NET TP Worker", 5, 500),
            [21] = new(".NET Tiered Com", 5, 100),
        });
        var after = new ProcessCpu.Sample(1, "MaterialStorage", 12, new Dictionary<int, ProcessCpu.ThreadSample>
        {
            [20] = new(".NET TP Worker", 9, 650),
            [21] = new(".NET Tiered Com", 6, 130),
            [22] = new(".NET Tiered Com", 2, 20),
        });
        var replica = new ProcessCpu.Sample(2, "MaterialStorage", 1, new Dictionary<int, ProcessCpu.ThreadSample> { [30] = new(".NET Tiered Com", 1, 10) });

        Assert.Equal(0.5, after.JitSecondsSince(before), 6);
        var delta = Assert.Single(ProcessCpu.Delta([before], [after, replica]));
        Assert.Equal("MaterialStorage", delta.Name);
        Assert.Equal(3.0, delta.CpuSeconds, 6);
        Assert.Equal(0.6, delta.JitSeconds, 6);
        Assert.Equal(2, delta.Processes);
    }

    private static Dictionary<int, ProcessCpu.ThreadSample> Threads(params (int Tid, long Switches)[] threads) =>
        threads.ToDictionary(t => t.Tid, t => new ProcessCpu.ThreadSample(".NET TP Worker", t.Switches, 0));
}
