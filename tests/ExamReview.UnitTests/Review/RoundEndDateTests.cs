using ExamReview.ReviewWorkflow.Publication;

namespace ExamReview.UnitTests.Review;

/// <summary>The end date an operator sets on a round: after now, and before 2100 (a slip of the year held every result).</summary>
public sealed class RoundEndDateTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2027-03-08T18:00:00+08:00")]
    [InlineData("2099-12-31T23:59:59Z")]
    public void A_date_after_now_and_before_2100_is_accepted(string endsAt) =>
        Assert.Null(ResultRound.RefuseEndDate(DateTimeOffset.Parse(endsAt, System.Globalization.CultureInfo.InvariantCulture), Now));

    [Theory]
    [InlineData(null, "晚于当前时间")]
    [InlineData("2027-03-01T16:00:00+08:00", "晚于当前时间")]
    [InlineData("2027-02-28T18:00:00+08:00", "晚于当前时间")]
    [InlineData("2100-01-01T00:00:00Z", "2000 年至 2099 年")]
    [InlineData("2207-03-01T18:00:00+08:00", "2000 年至 2099 年")]
    [InlineData("9999-12-31T23:59:59Z", "2000 年至 2099 年")]
    public void A_missing_past_or_far_date_is_refused_saying_why(string? endsAt, string says)
    {
        var at = endsAt is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(endsAt, System.Globalization.CultureInfo.InvariantCulture);
        var error = ResultRound.RefuseEndDate(at, Now);
        Assert.NotNull(error);
        Assert.Contains(says, error.Zh, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", error.En);
    }
}
