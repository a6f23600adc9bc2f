using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class LoadOptionsTests
{
    [Fact]
    public void The_rest_is_measured_after_a_settling_time_that_defaults_to_ten_seconds()
    {
        var defaults = LoadOptions.Parse([]);
        Assert.Equal((10, 20), (defaults.SettleSeconds, defaults.RestSeconds));

        var longer = LoadOptions.Parse(["--settle", "120", "--rest", "60", "--rate", "3"]);
        Assert.Equal((120, 60, 3.0), (longer.SettleSeconds, longer.RestSeconds, longer.UploadsPerSecond));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--settle"]));
    }

    [Fact]
    public void A_warm_up_is_off_by_default_and_never_negative()
    {
        Assert.Equal(TimeSpan.Zero, LoadOptions.Parse([]).Warmup);
        Assert.Equal(TimeSpan.FromSeconds(60), LoadOptions.Parse(["--warmup", "60", "--rate", "6"]).Warmup);
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--warmup", "-1"]));
    }
}
