using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void Fifteen_uploads_a_second_is_a_candidate_every_half_second()
    {
        var schedule = new ArrivalSchedule(15); // 7.5 documents per candidate

        Assert.Equal(TimeSpan.FromMilliseconds(500), schedule.Interval);
        Assert.Equal(1, schedule.DueBy(TimeSpan.Zero)); // the first arrives at once
        Assert.Equal(1, schedule.DueBy(TimeSpan.FromMilliseconds(499)));
        Assert.Equal(2, schedule.DueBy(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(121, schedule.DueBy(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, schedule.DueBy(TimeSpan.FromMilliseconds(-1)));
    }

    [Fact]
    public void Arrivals_a_paused_generator_missed_are_all_due_at_once_not_dropped()
    {
        var schedule = new ArrivalSchedule(7.5); // one a second

        // Ten seconds without a look: eleven arrivals are due (0 s … 10 s), so the offered rate stays the one asked for.
        Assert.Equal(11, schedule.DueBy(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(11), schedule.DueAt(11));
    }

    [Fact]
    public void Due_times_and_counts_agree_over_an_hour_without_drift()
    {
        var schedule = new ArrivalSchedule(100); // the target: 13.3 candidates a second

        for (long i = 0; i < 48_000; i += 997)
        {
            Assert.Equal(i + 1, schedule.DueBy(schedule.DueAt(i)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_a_positive_number_is_refused(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArrivalSchedule(rate));
    }
}
