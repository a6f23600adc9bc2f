using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// An image whose automatic check failed can never get a ✓: every return (and its preview) sends it back, whether or not
/// the reviewer marked or named it, with the domain's reason (check-failed, 图片检测未通过) unless the reviewer gave their
/// own. A registration-data return unlocks nothing and leaves it for the next return.
/// </summary>
public sealed class FailedCheckReturnTests
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(5);
    private static readonly string CheckFailed = ReplacementReasons.CheckFailed.Code;

    private static DecisionResult Return(ReviewCase c, ReviewerReturn request, IReadOnlyList<ImageReview> images, ImageChecks checks,
        ReviewLevel level = ReviewLevel.Site) =>
        c.Return(request, images, checks, level, Reviewer, Now, TimeSpan.FromDays(5), images.ToDictionary(i => i.ImageId, _ => "有效身份证明"));

    [Fact]
    public void An_unmarked_failed_image_goes_back_with_the_check_failed_reason_at_either_level_and_the_preview_shows_it_first()
    {
        foreach (var (state, level) in new[] { (CaseState.SiteReview, ReviewLevel.Site), (CaseState.AreaReview, ReviewLevel.Area) })
        {
            var failed = Image(ImageDecision.Pending);
            var passed = Image(ImageDecision.Approved);
            var checks = Checks((failed, ImageCheck.Failed), (passed, ImageCheck.Passed));
            var c = HeldCase(state);
            var request = new ReviewerReturn("请按意见修改", [], false);

            var plan = c.PlanReturn(request, [failed, passed], checks, level, Reviewer, Now);
            Assert.Null(plan.Refusal);
            Assert.Equal([(failed.ImageId, CheckFailed)], plan.ToReplace.Select(i => (i.ImageId, i.ReasonCode!)));
            // The preview does not change the row it reads.
            Assert.Equal((ImageDecision.Pending, null), (failed.Decision, failed.ReasonCode));

            var returned = Return(c, request, [failed, passed], checks, level);
            Assert.Null(returned.Refusal);
            Assert.Equal((ImageDecision.ReplacementRequested, CheckFailed, Reviewer), (failed.Decision, failed.ReasonCode, failed.DecidedBy));
            Assert.Equal(ImageDecision.Approved, passed.Decision);
            var unlock = Assert.Single(returned.Messages.OfType<UnlockMaterials>());
            Assert.Equal([failed.ImageId], unlock.ImageIds);
            Assert.Equal("请按意见修改\n有效身份证明图片：图片检测未通过", unlock.Feedback);
            Assert.Contains(returned.Timeline, e => e.Kind == CaseEventKinds.ImageReplacementRequested && e.Detail!.Contains("检测未通过，退回时一并要求重传", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_failed_image_with_a_tick_goes_back_unnamed_and_its_tick_is_withdrawn()
    {
        var failed = Image(ImageDecision.Approved);
        var passed = Image(ImageDecision.Approved);
        var c = HeldCase();

        // Before the rule every image was ✓ and the return would have been refused (return_nothing_to_change).
        var returned = Return(c, new("请重新上传", [], false), [failed, passed], Checks((failed, ImageCheck.Failed), (passed, ImageCheck.Passed)));

        Assert.Null(returned.Refusal);
        Assert.Equal((ImageDecision.ReplacementRequested, CheckFailed), (failed.Decision, failed.ReasonCode));
        Assert.Equal(ImageDecision.Approved, passed.Decision);
        Assert.Equal([failed.ImageId], Assert.Single(returned.Messages.OfType<UnlockMaterials>()).ImageIds);
        Assert.Contains(returned.Timeline, e => e.Detail!.Contains("撤回通过（✓）", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_image_the_reviewer_marked_keeps_their_reason_and_one_they_named_is_told_it_failed_not_other()
    {
        var marked = Image(ImageDecision.ReplacementRequested, "unclear", "反光");
        var named = Image(ImageDecision.Pending);
        var namedPassed = Image(ImageDecision.Pending);
        var checks = Checks((marked, ImageCheck.Failed), (named, ImageCheck.Failed), (namedPassed, ImageCheck.Passed));
        var c = HeldCase();

        var returned = Return(c, new(null, [named.ImageId, namedPassed.ImageId], false), [marked, named, namedPassed], checks);

        Assert.Null(returned.Refusal);
        Assert.Equal(("unclear", "反光"), (marked.ReasonCode, marked.Note));
        Assert.Equal(CheckFailed, named.ReasonCode);
        Assert.Equal(ReturnComposition.NamedReason, namedPassed.ReasonCode);
        Assert.Equal("有效身份证明图片：图片不清晰（反光）\n有效身份证明图片：图片检测未通过\n有效身份证明图片：其他", c.Feedback);
    }

    [Fact]
    public void A_failed_image_alone_is_something_to_change_and_needs_no_feedback_of_its_own()
    {
        var failed = Image(ImageDecision.Pending);
        var c = HeldCase();

        var returned = Return(c, new(null, [], false), [failed], Checks((failed, ImageCheck.Failed)));

        Assert.Null(returned.Refusal);
        Assert.Equal("有效身份证明图片：图片检测未通过", c.Feedback);
    }

    [Fact]
    public void A_registration_data_return_takes_no_failed_image_along_and_still_refuses_a_marked_one()
    {
        var failed = Image(ImageDecision.Pending);
        var checks = Checks((failed, ImageCheck.Failed));
        var request = new ReviewerReturn("姓名与身份证不一致", [], true);

        Assert.Empty(HeldCase().PlanReturn(request, [failed], checks, ReviewLevel.Site, Reviewer, Now).ToReplace);
        var returned = Return(HeldCase(), request, [failed], checks);
        Assert.Null(returned.Refusal);
        Assert.Empty(returned.Messages.OfType<UnlockMaterials>());
        Assert.Equal(ImageDecision.Pending, failed.Decision);

        var marked = Image(ImageDecision.ReplacementRequested, "unclear");
        Assert.Equal("data_return_with_images", Return(HeldCase(), request, [failed, marked], Checks((failed, ImageCheck.Failed))).Refusal?.Code);
    }

    [Fact]
    public void A_reviewer_cannot_pick_the_check_failed_reason_but_every_view_can_name_it()
    {
        var image = Image(ImageDecision.Pending);
        var c = HeldCase();

        var asked = c.RequestReplacement(image.ImageId, new(CheckFailed, null), [image], Checks((image, ImageCheck.Passed)), ReviewLevel.Site, Reviewer, Now);

        Assert.Equal(("validation", "reasonCode"), (asked.Refusal?.Code, asked.Refusal?.Facts?["field"]));
        Assert.Equal(ImageDecision.Pending, image.Decision);
        Assert.DoesNotContain(ReplacementReasons.All, r => r.Code == CheckFailed);
        Assert.Null(ReplacementReasons.Find(CheckFailed));
        Assert.Equal("图片检测未通过", ReplacementReasons.Describe(CheckFailed)?.NameZh);
        Assert.Equal("图片不清晰", ReplacementReasons.Describe("unclear")?.NameZh);
    }
}
