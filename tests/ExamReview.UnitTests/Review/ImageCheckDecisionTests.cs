using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// A ✓ is for good and a verdict may come minutes after the submission: every decision that gives images their ✓ refuses
/// one whose check is still running or failed, changes nothing when it does, and goes ahead once the check passed.
/// </summary>
public sealed class ImageCheckDecisionTests
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(5);

    /// <summary>What a refused decision must leave as it was.</summary>
    private static (CaseState, string?, int, string) Snapshot(ReviewCase c, params ImageReview[] images) =>
        (c.State, c.ClaimedBy, c.Version, string.Join(",", images.Select(i => i.Decision)));

    [Theory]
    [InlineData(ImageCheck.Pending, "image_check_pending")]
    [InlineData(ImageCheck.Failed, "image_check_failed")]
    public void A_single_image_is_approved_only_once_its_check_passed(ImageCheck check, string code)
    {
        var c = HeldCase();
        var image = Image();
        var before = Snapshot(c, image);

        var refused = c.ApproveImage(image.ImageId, [image], Checks((image, check)), ReviewLevel.Site, Reviewer, Now);

        Assert.Equal(code, refused.Refusal?.Code);
        Assert.Equal(CaseRefusalKind.Conflict, refused.Refusal!.Kind);
        Assert.Empty(refused.Messages);
        Assert.Equal(before, Snapshot(c, image));

        var approved = c.ApproveImage(image.ImageId, [image], Checks((image, ImageCheck.Passed)), ReviewLevel.Site, Reviewer, Now);
        Assert.Null(approved.Refusal);
        Assert.Equal(ImageDecision.Approved, image.Decision);
        Assert.Equal([image.ImageId], approved.Messages.OfType<ApproveMaterials>().Single().ImageIds);
    }

    [Fact]
    public void An_image_without_any_verdict_known_is_pending_and_a_failed_one_can_still_be_sent_back()
    {
        var c = HeldCase();
        var image = Image();
        Assert.Equal("image_check_pending", c.ApproveImage(image.ImageId, [image], ImageChecks.None, ReviewLevel.Site, Reviewer, Now).Refusal?.Code);

        var replacement = c.RequestReplacement(image.ImageId, new("unclear", null), [image], ImageChecks.None, ReviewLevel.Site, Reviewer, Now);
        Assert.Null(replacement.Refusal);
        Assert.Equal(ImageDecision.ReplacementRequested, image.Decision);
    }

    [Fact]
    public void Approve_all_is_refused_while_a_check_is_pending_or_failed_and_claims_nothing()
    {
        var passed = Image();
        var waiting = Image();
        var c = NewCase();
        var before = Snapshot(c, passed, waiting);

        var pending = c.ApproveAll([passed, waiting], Checks((passed, ImageCheck.Passed), (waiting, ImageCheck.Pending)), ReviewLevel.Site, Reviewer, Now, Lease);
        Assert.Equal("image_check_pending", pending.Refusal?.Code);
        Assert.Equal([waiting.ImageId], (IEnumerable<Guid>)pending.Refusal!.Facts!["checkPending"]!);
        Assert.Equal(before, Snapshot(c, passed, waiting)); // not even claimed

        // A failed check is named first: waiting would not help it.
        var failed = c.ApproveAll([passed, waiting], Checks((passed, ImageCheck.Failed), (waiting, ImageCheck.Pending)), ReviewLevel.Site, Reviewer, Now, Lease);
        Assert.Equal("image_check_failed", failed.Refusal?.Code);
        Assert.Equal([passed.ImageId], (IEnumerable<Guid>)failed.Refusal!.Facts!["checkFailed"]!);
        Assert.Equal(before, Snapshot(c, passed, waiting));

        var done = c.ApproveAll([passed, waiting], Checks((passed, ImageCheck.Passed), (waiting, ImageCheck.Passed)), ReviewLevel.Site, Reviewer, Now, Lease);
        Assert.Null(done.Refusal);
        Assert.Equal(CaseState.AreaReview, c.State);
        Assert.All(new[] { passed, waiting }, i => Assert.Equal(ImageDecision.Approved, i.Decision));
    }

    [Fact]
    public void The_application_is_not_approved_past_an_approved_image_whose_check_failed_afterwards()
    {
        // ✓ before the rule, or malware found by a later signature update: the application must not pass silently.
        var image = Image(ImageDecision.Approved);
        var c = HeldCase();
        var before = Snapshot(c, image);
        var refused = c.Approve([image], Checks((image, ImageCheck.Failed)), ReviewLevel.Site, Reviewer, Now, MissingMaterialsOverride.None);
        Assert.Equal("image_check_failed", refused.Refusal?.Code);
        Assert.Equal(before, Snapshot(c, image));

        Assert.Null(c.Approve([image], Checks((image, ImageCheck.Passed)), ReviewLevel.Site, Reviewer, Now, MissingMaterialsOverride.None).Refusal);
        Assert.Equal(CaseState.AreaReview, c.State);
    }

    [Theory]
    [InlineData(ImageCheck.Pending, "image_check_pending")]
    [InlineData(ImageCheck.Failed, "image_check_failed")]
    public void A_bulk_approval_refuses_the_case_like_its_other_refusals(ImageCheck check, string code)
    {
        var image = Image(ImageDecision.Approved);
        var c = NewCase(CaseState.AreaReview);
        var before = Snapshot(c, image);

        Assert.Equal(code, c.RefuseBulkApproval([image], Checks((image, check)), ReviewLevel.Area, "area-1", Now)?.Code);
        var refused = c.ApproveInBulk([image], Checks((image, check)), ReviewLevel.Area, "area-1", Now, lookedAt: true);
        Assert.Equal(code, refused.Refusal?.Code);
        Assert.Equal(before, Snapshot(c, image));

        Assert.Null(c.ApproveInBulk([image], Checks((image, ImageCheck.Passed)), ReviewLevel.Area, "area-1", Now, lookedAt: true).Refusal);
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    public void An_image_known_before_verdicts_were_kept_here_is_decided_as_before()
    {
        var image = Image();
        var c = HeldCase();
        Assert.Null(c.ApproveImage(image.ImageId, [image], Checks((image, ImageCheck.NotTracked)), ReviewLevel.Site, Reviewer, Now).Refusal);
    }

    [Fact]
    public void Infected_wins_over_a_clean_verdict_whatever_the_order_and_the_later_of_two_clean_verdicts_counts()
    {
        var image = new KnownImage { ImageId = Guid.NewGuid(), MaterialType = "id-card" };
        Assert.Equal(ImageCheck.Pending, image.Check);
        Assert.True(image.RecordCheck(passed: true, infected: false));
        Assert.Equal(ImageCheck.Passed, image.Check);
        Assert.True(image.RecordCheck(passed: false, infected: false));
        Assert.Equal(ImageCheck.Failed, image.Check);
        Assert.True(image.RecordCheck(passed: true, infected: true)); // malware fails whatever the flag says
        Assert.Equal((ImageCheck.Failed, true), (image.Check, image.Infected));
        Assert.False(image.RecordCheck(passed: true, infected: false));
        Assert.Equal((ImageCheck.Failed, true), (image.Check, image.Infected));
    }
}
