using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.UnitTests;

/// <summary>The pollers' sleep: busy interval after work, doubling while idle, never past the ceiling.</summary>
public sealed class IdleBackoffTests
{
    [Fact]
    public void Empty_passes_stretch_the_sleep_up_to_the_ceiling()
    {
        var idle = new IdleBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        var sleeps = Enumerable.Range(0, 6).Select(_ => idle.After(foundWork: false).TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 10, 10], sleeps);
    }

    [Fact]
    public void A_pass_with_work_returns_to_the_busy_interval()
    {
        var idle = new IdleBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        idle.After(foundWork: false);
        idle.After(foundWork: false);
        idle.After(foundWork: false);

        Assert.Equal(TimeSpan.FromSeconds(1), idle.After(foundWork: true));
        Assert.Equal(TimeSpan.FromSeconds(1), idle.After(foundWork: false));
        Assert.Equal(TimeSpan.FromSeconds(2), idle.After(foundWork: false));
    }

    [Fact]
    public void A_ceiling_below_the_busy_interval_keeps_the_busy_interval()
    {
        var idle = new IdleBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(2), idle.After(foundWork: false));
        Assert.Equal(TimeSpan.FromSeconds(2), idle.After(foundWork: false));
    }

    [Fact]
    public void A_busy_interval_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdleBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
}
