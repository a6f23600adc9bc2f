using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// A failing verdict moves the version of the candidate's case awaiting a decision (<see cref="ReviewCase.TakeFailedCheck"/>),
/// so an approval read before it conflicts (409/412 concurrent_change); the case's timeline says so, naming the image and
/// where it stands in the case.
/// </summary>
public sealed class FailedCheckTimelineTests
{
    public static TheoryData<CaseState, ImageDecision?, bool, bool, string> Cases => new()
    {
        { CaseState.SiteReview, ImageDecision.Pending, true, false, "{0}检测未通过；案件已更新，此前打开的审核决定需刷新后重试" },
        { CaseState.AreaReview, ImageDecision.Approved, true, true, "{0}（已通过 ✓）检测未通过（发现恶意代码）；案件已更新，此前打开的审核决定需刷新后重试，申请不能通过，可要求重传以撤回 ✓" },
        { CaseState.SiteReview, null, false, false, "{0}（不在本案当前图片中）检测未通过；案件已更新，此前打开的审核决定需刷新后重试" },
        { CaseState.SiteReview, ImageDecision.ReplacementRequested, false, false, "{0}（不在本案当前图片中）检测未通过；案件已更新，此前打开的审核决定需刷新后重试" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_failing_verdict_on_a_case_awaiting_a_decision_moves_its_version_and_says_so(
        CaseState state, ImageDecision? decision, bool current, bool infected, string expected)
    {
        var c = NewCase(state);
        var imageId = Guid.NewGuid();
        IReadOnlyList<ImageReview> rows = decision is { } d ? [Image(d, current: current, imageId: imageId)] : [];
        var version = c.Version;

        var entry = c.TakeFailedCheck(imageId, infected, rows, T0.AddMinutes(1));

        Assert.NotNull(entry);
        Assert.Equal((version + 1, T0.AddMinutes(1)), (c.Version, c.UpdatedAt));
        Assert.Equal(CaseEventKinds.ImageCheckFailed, entry.Kind);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, $"图片 {imageId}"), entry.Detail);
    }

    [Theory]
    [InlineData(CaseState.Returned)]
    [InlineData(CaseState.Approved)]
    [InlineData(CaseState.Rejected)]
    public void A_case_awaiting_no_decision_neither_moves_nor_records_anything(CaseState state)
    {
        var c = NewCase(state);
        var imageId = Guid.NewGuid();

        Assert.Null(c.TakeFailedCheck(imageId, true, [Image(ImageDecision.Approved, imageId: imageId)], T0.AddMinutes(1)));
        Assert.Equal(0, c.Version);
    }
}
