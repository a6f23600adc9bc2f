using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// A ✓ is final, but an image whose check failed after its ✓ (malware found by newer signatures) stops its case for good
/// (image_check_failed): a reviewer may ask for its replacement, by itself or by naming it in the return, and that withdraws
/// the ✓ and unlocks it. A ✓ whose check passed (or is not known here) stays final on every path.
/// </summary>
public sealed class WithdrawnApprovalTests
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(5);
    private static readonly TimeSpan Window = TimeSpan.FromDays(5);

    private static ImageReview Approved() =>
        new() { Id = Guid.NewGuid(), ImageId = Guid.NewGuid(), Decision = ImageDecision.Approved, DecidedBy = "someone", DecidedAt = T0 };

    private static DecisionResult Return(ReviewCase c, ReviewerReturn request, IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level = ReviewLevel.Site) =>
        c.Return(request, images, checks, level, Reviewer, Now, Window, new Dictionary<Guid, string>());

    [Fact]
    public void The_case_is_stuck_on_a_failed_approved_image_until_its_replacement_is_asked_for_which_withdraws_the_tick()
    {
        var failed = Approved();
        var passed = Approved();
        var checks = Checks((failed, ImageCheck.Failed), (passed, ImageCheck.Passed));
        var c = HeldCase();
        Assert.Equal("image_check_failed", c.Approve([failed, passed], checks, ReviewLevel.Site, Reviewer, Now, MissingMaterialsOverride.None).Refusal?.Code);
        // Another ✓ changes nothing: the image has one already.
        Assert.Equal("image_approved", c.ApproveImage(failed.ImageId, [failed, passed], checks, ReviewLevel.Site, Reviewer, Now).Refusal?.Code);
        var version = c.Version;

        var asked = c.RequestReplacement(failed.ImageId, new("unclear", "请重新上传原件照片"), [failed, passed], checks, ReviewLevel.Site, Reviewer, Now);

        Assert.Null(asked.Refusal);
        Assert.Equal((ImageDecision.ReplacementRequested, "unclear", Reviewer, Now), (failed.Decision, failed.ReasonCode, failed.DecidedBy, failed.DecidedAt));
        Assert.Equal(version + 1, c.Version);
        var entry = Assert.Single(asked.Timeline);
        Assert.Equal(CaseEventKinds.ImageReplacementRequested, entry.Kind);
        Assert.Contains("撤回通过（✓）", entry.Detail, StringComparison.Ordinal);
        Assert.Empty(asked.Messages); // the return unlocks it, as any replacement
        // The case now waits for a return, not for good.
        Assert.Equal("images_not_reviewed", c.Approve([failed, passed], checks, ReviewLevel.Site, Reviewer, Now, MissingMaterialsOverride.None).Refusal?.Code);

        var returned = Return(c, new("请按意见修改", [], false), [failed, passed], checks);
        Assert.Null(returned.Refusal);
        Assert.Equal([failed.ImageId], Assert.Single(returned.Messages.OfType<UnlockMaterials>()).ImageIds);
        Assert.Equal(ImageDecision.Approved, passed.Decision);
        Assert.Equal(CaseState.Returned, c.State);
    }

    [Fact]
    public void Naming_a_failed_approved_image_in_the_return_withdraws_its_tick_and_unlocks_it_at_either_level()
    {
        foreach (var (state, level) in new[] { (CaseState.SiteReview, ReviewLevel.Site), (CaseState.AreaReview, ReviewLevel.Area) })
        {
            var failed = Approved();
            var passed = Approved();
            var checks = Checks((failed, ImageCheck.Failed), (passed, ImageCheck.Passed));
            var c = HeldCase(state);
            var request = new ReviewerReturn("该图片检测未通过，请重新上传", [failed.ImageId], false);

            var plan = c.PlanReturn(request, [failed, passed], checks, level, Reviewer, Now);
            Assert.Null(plan.Refusal);
            Assert.Equal([failed.ImageId], plan.ToReplace.Select(i => i.ImageId));

            var returned = Return(c, request, [failed, passed], checks, level);
            Assert.Null(returned.Refusal);
            Assert.Equal((ImageDecision.ReplacementRequested, ReplacementReasons.CheckFailed.Code), (failed.Decision, failed.ReasonCode));
            Assert.Equal(ImageDecision.Approved, passed.Decision);
            Assert.Equal([failed.ImageId], Assert.Single(returned.Messages.OfType<UnlockMaterials>()).ImageIds);
            Assert.Contains(returned.Timeline, e => e.Kind == CaseEventKinds.ImageReplacementRequested && e.Detail!.Contains("撤回通过（✓）", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(ImageCheck.Passed)]
    [InlineData(ImageCheck.NotTracked)]
    [InlineData(ImageCheck.Pending)]
    public void Any_other_tick_stays_final_on_every_path_and_a_refusal_changes_nothing(ImageCheck check)
    {
        var image = Approved();
        var checks = Checks((image, check));
        var c = HeldCase();
        var version = c.Version;

        Assert.Equal("image_approved", c.RequestReplacement(image.ImageId, new("unclear", null), [image], checks, ReviewLevel.Site, Reviewer, Now).Refusal?.Code);
        var request = new ReviewerReturn("请重拍", [image.ImageId], false);
        Assert.Equal("image_approved", c.PlanReturn(request, [image], checks, ReviewLevel.Site, Reviewer, Now).Refusal?.Code);
        Assert.Equal("image_approved", Return(c, request, [image], checks).Refusal?.Code);
        Assert.Empty(ReturnComposition.ImagesToReplace([image], [image.ImageId], checks));

        Assert.Equal((ImageDecision.Approved, "someone", CaseState.SiteReview, version), (image.Decision, image.DecidedBy, c.State, c.Version));
    }

    [Fact]
    public void Only_the_claims_holder_at_the_cases_level_withdraws_a_tick()
    {
        var failed = Approved();
        var checks = Checks((failed, ImageCheck.Failed));
        Assert.Equal("claim_not_held",
            HeldCase().RequestReplacement(failed.ImageId, new("unclear", null), [failed], checks, ReviewLevel.Site, "site-reviewer-2", Now).Refusal?.Code);
        Assert.Equal("not_reviewable",
            HeldCase().RequestReplacement(failed.ImageId, new("unclear", null), [failed], checks, ReviewLevel.Area, Reviewer, Now).Refusal?.Code);
        Assert.Equal(ImageDecision.Approved, failed.Decision);
    }
}
