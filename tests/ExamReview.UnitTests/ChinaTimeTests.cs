using System.Globalization;
using ExamReview.Contracts;

namespace ExamReview.UnitTests;

public sealed class ChinaTimeTests
{
    private static readonly DateTimeOffset LateEveningUtc = new(2027, 3, 1, 17, 30, 45, TimeSpan.Zero);

    [Fact]
    public void A_utc_instant_is_shown_on_beijings_clock_whatever_the_servers_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            // A culture with other digits' order and separators must not leak into what a candidate reads.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("ar-SA");
            Assert.Equal("2027-03-02 01:30", ChinaTime.ToMinute(LateEveningUtc));
            Assert.Equal("2027-03-02 01:30:45", ChinaTime.ToSecond(LateEveningUtc));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void An_evening_in_utc_is_already_the_next_day_in_beijing()
    {
        Assert.Equal(new DateOnly(2027, 3, 2), ChinaTime.DayOf(LateEveningUtc));
        Assert.Equal(new DateOnly(2027, 3, 1), ChinaTime.DayOf(LateEveningUtc.AddHours(-2)));
        Assert.Equal(TimeSpan.FromHours(8), ChinaTime.Of(LateEveningUtc).Offset);
        Assert.Equal(LateEveningUtc, ChinaTime.Of(LateEveningUtc));
    }

    [Fact]
    public void A_wall_clock_reading_from_a_chinese_provider_names_the_instant_eight_hours_earlier_in_utc()
    {
        var reported = DateTime.ParseExact("2027-03-02 01:30:45", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Equal(LateEveningUtc, ChinaTime.FromWallClock(reported));
        Assert.Equal(LateEveningUtc, ChinaTime.FromWallClock(DateTime.SpecifyKind(reported, DateTimeKind.Utc)));
    }
}
