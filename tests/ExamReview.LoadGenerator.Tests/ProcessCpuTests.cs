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
        var before = new ProcessCpu.Sample(1, "Stub", 10, new Dictionary<int, long> { [11] = 900, [12] = 100 });
        var after = new ProcessCpu.Sample(1, "Stub", 11, new Dictionary<int, long> { [12] = 150, [13] = 7 });

        Assert.Equal(57, after.SwitchesSince(before));
        Assert.Equal(157, after.SwitchesSince(null));
        var delta = Assert.Single(ProcessCpu.Delta([before], [after]));
        Assert.Equal(("Stub", 1.0, 57L, 1), delta);
    }
}
