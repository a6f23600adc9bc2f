using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class PercentilesTests
{
    [Fact]
    public void Nearest_rank_picks_the_sample_at_ceil_p_times_n()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(50, Percentiles.Of(sorted, 0.50));
        Assert.Equal(95, Percentiles.Of(sorted, 0.95));
        Assert.Equal(99, Percentiles.Of(sorted, 0.99));
        Assert.Equal(100, Percentiles.Of(sorted, 1.0));
        Assert.Equal(1, Percentiles.Of(sorted, 0.001));
    }

    [Fact]
    public void A_single_slow_request_in_a_hundred_is_the_p99_not_hidden_by_interpolation()
    {
        var samples = Enumerable.Repeat(10.0, 99).Append(900.0).ToArray();
        var (p50, p95, p99, max) = Percentiles.Summary(samples.Reverse());
        Assert.Equal(10, p50);
        Assert.Equal(10, p95);
        Assert.Equal(10, p99); // rank ceil(0.99 * 100) = 99: the 99th of 100
        Assert.Equal(900, max);
        var (_, _, p99Of50, _) = Percentiles.Summary(samples.Skip(50)); // 49 fast + 1 slow: rank 50 of 50
        Assert.Equal(900, p99Of50);
    }

    [Fact]
    public void No_samples_give_not_a_number_rather_than_zero()
    {
        var (p50, _, p99, max) = Percentiles.Summary([]);
        Assert.True(double.IsNaN(p50) && double.IsNaN(p99) && double.IsNaN(max));
    }

    [Fact]
    public void The_recorder_keeps_latencies_of_successes_and_counts_errors_by_status()
    {
        var recorder = new Recorder();
        recorder.Add("upload", 12, 201);
        recorder.Add("upload", 30, 200);
        recorder.Add("upload", 5000, 503);
        recorder.Add("upload", 1, 599);
        var (ok, statuses) = recorder["upload"].Snapshot();
        Assert.Equal([12.0, 30.0], ok);
        Assert.Equal(1, statuses[503]);
        Assert.Equal(1, statuses[599]);
        Assert.Contains("errors 503×1 599×1", recorder.Line("upload", 1), StringComparison.Ordinal);
    }
}
