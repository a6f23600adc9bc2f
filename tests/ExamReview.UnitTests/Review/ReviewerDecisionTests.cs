using System.Collections.Concurrent;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// A reviewer's decisions and claims, decided by the case: the refusal each gives and in which order, that a refused
/// decision changes nothing, and what an accepted one changes, records and sends.
/// </summary>
public sealed class ReviewerDecisionTests
{
    private const string Other = "site-reviewer-2";
    private static readonly DateTimeOffset Now = T0.AddMinutes(5);

    /// <summary>A case on its second submission, held by <paramref name="holder"/> (null: by nobody).</summary>
    private static ReviewCase Case(CaseState state = CaseState.SiteReview, string? holder = Reviewer) =>
        holder is null ? NewCase(state, submission: 2) : HeldCase(state, holder, submission: 2);

    /// <summary>Every image <see cref="Image"/> makes passed its check, unless a test says otherwise.</summary>
    private static readonly ConcurrentDictionary<Guid, ImageCheck> KnownChecks = new();
    private static readonly ImageChecks Checks = new(KnownChecks);

    private static ImageReview Image(ImageDecision decision = ImageDecision.Pending, bool current = true, ImageCheck check = ImageCheck.Passed)
    {
        var image = ReviewCases.Image(decision, current: current);
        KnownChecks[image.ImageId] = check;
        return image;
    }

    [Fact]
    public void A_per_image_decision_needs_the_level_the_claim_and_a_current_image_not_yet_approved()
    {
        var approved = Image(ImageDecision.Approved);
        var old = Image(current: false);
        var pending = Image();
        ImageReview[] images = [approved, old, pending];

        Assert.Equal("not_reviewable", Case().ApproveImage(pending.ImageId, images, Checks, ReviewLevel.Area, Reviewer, Now).Refusal?.Code);
        Assert.Equal("claim_not_held", Case().ApproveImage(pending.ImageId, images, Checks, ReviewLevel.Site, Other, Now).Refusal?.Code);
        Assert.Equal("claim_not_held", Case().ApproveImage(pending.ImageId, images, Checks, ReviewLevel.Site, Reviewer, T0 + Lease).Refusal?.Code);
        Assert.Equal("image_not_found", Case().ApproveImage(old.ImageId, images, Checks, ReviewLevel.Site, Reviewer, Now).Refusal?.Code);
        Assert.Equal("image_approved", Case().RequestReplacement(approved.ImageId, new("unclear", null), images, ImageChecks.None, ReviewLevel.Site, Reviewer, Now).Refusal?.Code);
        Assert.Equal(ImageDecision.Approved, approved.Decision);
        var unknown = Case().RequestReplacement(pending.ImageId, new("blurry", null), images, ImageChecks.None, ReviewLevel.Site, Reviewer, Now).Refusal!;
        Assert.Equal((CaseRefusalKind.InvalidField, "reasonCode"), (unknown.Kind, unknown.Facts!["field"]));
        Assert.Equal(ImageDecision.Pending, pending.Decision);
    }

    [Fact]
    public void Approving_an_image_locks_it_for_good_and_asking_for_a_replacement_records_the_reason()
    {
        var c = Case();
        var first = Image();
        var second = Image();
        var version = c.Version;

        var approvedImage = c.ApproveImage(first.ImageId, [first, second], Checks, ReviewLevel.Site, Reviewer, Now);
        var replacement = c.RequestReplacement(second.ImageId, new("other", "  证书盖章不清  "), [first, second], ImageChecks.None, ReviewLevel.Site, Reviewer, Now);

        Assert.Null(approvedImage.Refusal);
        Assert.Equal((ImageDecision.Approved, Reviewer), (first.Decision, first.DecidedBy));
        var approve = Assert.Single(approvedImage.Messages.OfType<ApproveMaterials>());
        Assert.Equal([first.ImageId], approve.ImageIds);
        Assert.Equal([CaseEventKinds.ImageApproved, CaseEventKinds.MessageSent], approvedImage.Timeline.Select(e => e.Kind));
        Assert.Null(replacement.Refusal);
        Assert.Empty(replacement.Messages); // takes effect with the return
        Assert.Equal((ImageDecision.ReplacementRequested, "other", "证书盖章不清"), (second.Decision, second.ReasonCode, second.Note));
        Assert.Equal($"图片 {second.ImageId}：其他（证书盖章不清）", Assert.Single(replacement.Timeline).Detail);
        Assert.True(c.Version >= version + 2);
        Assert.Equal((CaseState.SiteReview, Reviewer), (c.State, c.ClaimedBy)); // still the reviewer's to finish
    }

    [Fact]
    public void An_approval_is_refused_in_order_transition_claim_missing_materials_then_unreviewed_images_and_changes_nothing()
    {
        var pending = Image();
        Assert.Equal("illegal_transition", Case().Approve([pending], Checks, ReviewLevel.Area, Reviewer, Now, MissingMaterialsOverride.None).Refusal?.Code);
        Assert.Equal("claim_not_held", Case().Approve([pending], Checks, ReviewLevel.Site, Other, Now, MissingMaterialsOverride.None).Refusal?.Code);
        var missing = Case();
        missing.ReportMissing(["学历证书"]);
        Assert.Equal("materials_missing", missing.Approve([pending], Checks, ReviewLevel.Site, Reviewer, Now, MissingMaterialsOverride.None).Refusal?.Code);
        Assert.Equal("materials_missing", missing.Approve([pending], Checks, ReviewLevel.Site, Reviewer, Now, new(true, " ")).Refusal?.Code);
        var unreviewed = Case();
        var refused = unreviewed.Approve([pending, Image(ImageDecision.ReplacementRequested)], Checks, ReviewLevel.Site, Reviewer, Now, MissingMaterialsOverride.None);
        Assert.Equal("images_not_reviewed", refused.Refusal?.Code);
        Assert.Equal((CaseState.SiteReview, Reviewer, (DateTimeOffset?)null), (unreviewed.State, unreviewed.ClaimedBy, unreviewed.SiteApprovedAt));
    }

    [Fact]
    public void An_override_reason_longer_than_the_timeline_takes_is_refused_naming_the_field_and_changes_nothing()
    {
        // The reason goes into the append-only timeline every reviewer and province reads: 100,000 characters were kept.
        var c = Case();
        c.ReportMissing(["学历证书"]);
        var images = new[] { Image(ImageDecision.Approved) };

        var refusal = c.Approve(images, Checks, ReviewLevel.Site, Reviewer, Now, new(true, new string('理', MissingMaterialsOverride.MaxReason + 1))).Refusal!;

        Assert.Equal((CaseRefusalKind.InvalidField, "validation", "overrideReason"), (refusal.Kind, refusal.Code, refusal.Facts!["field"]));
        Assert.Equal((CaseState.SiteReview, Reviewer), (c.State, c.ClaimedBy));
        Assert.Null(c.Approve(images, Checks, ReviewLevel.Site, Reviewer, Now, new(true, new string('理', MissingMaterialsOverride.MaxReason))).Refusal);
    }

    [Fact]
    public void A_site_approval_locks_the_current_images_and_releases_the_claim_and_an_area_approval_approves_every_image()
    {
        var c = Case();
        c.ReportMissing(["学历证书"]);
        var images = new[] { Image(ImageDecision.Approved), Image(ImageDecision.Approved), Image(ImageDecision.Approved, current: false) };

        var site = c.Approve(images, Checks, ReviewLevel.Site, Reviewer, Now, new(true, "考生已线下提交"));

        Assert.Null(site.Refusal);
        Assert.Equal((CaseState.AreaReview, (string?)null, (DateTimeOffset?)Now), (c.State, c.ClaimedBy, c.SiteApprovedAt));
        Assert.Equal([CaseEventKinds.MissingMaterialsOverridden, CaseEventKinds.SiteApproved, CaseEventKinds.MessageSent], site.Timeline.Select(e => e.Kind));
        Assert.Equal("缺少 学历证书 仍通过；理由：考生已线下提交", site.Timeline[0].Detail);
        Assert.Contains(Reviewer, site.Timeline[1].Detail, StringComparison.Ordinal);
        Assert.Equal(images[..2].Select(i => i.ImageId), Assert.Single(site.Messages.OfType<LockMaterials>()).ImageIds);
        var siteApproved = Assert.Single(site.Messages.OfType<ApplicationSiteApproved>());
        Assert.Equal(2, siteApproved.SubmissionNumber);
        Assert.Equal(2, siteApproved.Position!.SubmissionNumber);

        c.ReportMissing([]);
        c.Claim("area-reviewer-1", Now, Lease);
        var area = c.Approve(images, Checks, ReviewLevel.Area, "area-reviewer-1", Now.AddMinutes(1), MissingMaterialsOverride.None);

        Assert.Null(area.Refusal);
        Assert.Equal((CaseState.Approved, (DateTimeOffset?)Now.AddMinutes(1)), (c.State, c.DecidedAt));
        // The case's current images by id, never "every image" (an upload after the last look gets no ✓), and the final lock.
        Assert.Equal(images[..2].Select(i => i.ImageId), Assert.Single(area.Messages.OfType<ApproveMaterials>()).ImageIds);
        Assert.Equal(images[..2].Select(i => i.ImageId), Assert.Single(area.Messages.OfType<ApplicationApproved>()).ImageIds!);
        Assert.True(Assert.Single(area.Messages.OfType<LockMaterials>()).Final);
    }

    [Fact]
    public void Approve_all_claims_a_free_case_approves_the_unreviewed_images_and_is_refused_while_a_replacement_is_asked_for()
    {
        var held = Case(holder: Other);
        Assert.Equal("claim_held", held.ApproveAll([Image()], Checks, ReviewLevel.Site, Reviewer, Now, Lease).Refusal?.Code);
        var asked = Case(holder: null);
        var awaiting = Image(ImageDecision.ReplacementRequested);
        var refused = asked.ApproveAll([Image(), awaiting], Checks, ReviewLevel.Site, Reviewer, Now, Lease);
        Assert.Equal("images_awaiting_replacement", refused.Refusal?.Code);
        Assert.Null(asked.ClaimedBy); // refused before it claimed anything

        var free = Case(holder: null);
        var images = new[] { Image(), Image(ImageDecision.Approved) };
        var result = free.ApproveAll(images, Checks, ReviewLevel.Site, Reviewer, Now, Lease);

        Assert.Null(result.Refusal);
        Assert.All(images, i => Assert.Equal(ImageDecision.Approved, i.Decision));
        Assert.Equal(CaseState.AreaReview, free.State);
        Assert.Equal(
            [CaseEventKinds.Claimed, CaseEventKinds.ImageApproved, CaseEventKinds.MessageSent, CaseEventKinds.SiteApproved, CaseEventKinds.MessageSent],
            result.Timeline.Select(e => e.Kind));
        Assert.Equal([images[0].ImageId], result.Messages.OfType<ApproveMaterials>().Single().ImageIds);
    }

    [Fact]
    public void A_bulk_approval_at_area_level_needs_a_look_and_a_fully_reviewed_case()
    {
        var images = new[] { Image(ImageDecision.Approved) };
        Assert.Equal("not_looked_at", Case(CaseState.AreaReview, holder: null).ApproveInBulk(images, Checks, ReviewLevel.Area, "area-1", Now, lookedAt: false).Refusal?.Code);
        Assert.Equal("images_not_reviewed", Case(CaseState.AreaReview, holder: null).ApproveInBulk([Image()], Checks, ReviewLevel.Area, "area-1", Now, lookedAt: true).Refusal?.Code);
        Assert.Equal("claim_held", Case(CaseState.AreaReview, holder: "area-2").ApproveInBulk(images, Checks, ReviewLevel.Area, "area-1", Now, lookedAt: true).Refusal?.Code);

        var c = Case(CaseState.AreaReview, holder: null);
        Assert.Null(c.ApproveInBulk(images, Checks, ReviewLevel.Area, "area-1", Now, lookedAt: true).Refusal);
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    public void A_rejection_needs_area_review_and_the_claim_and_tells_the_candidate_the_trimmed_reason()
    {
        Assert.Equal("illegal_transition", Case().Reject("材料造假", Reviewer, Now).Refusal?.Code);
        Assert.Equal("claim_not_held", Case(CaseState.AreaReview, holder: "area-2").Reject("材料造假", "area-1", Now).Refusal?.Code);

        var c = Case(CaseState.AreaReview, holder: "area-1");
        var result = c.Reject("  材料造假  ", "area-1", Now);

        Assert.Null(result.Refusal);
        Assert.Equal((CaseState.Rejected, "材料造假", (string?)null), (c.State, c.Feedback, c.ClaimedBy));
        var rejected = Assert.Single(result.Messages.OfType<ApplicationRejected>());
        Assert.Equal("材料造假", rejected.Reason);
        // Stamped with where the case now stands, which every earlier outcome of the case stands below.
        Assert.Equal(new ReviewPosition(2, c.Version), rejected.Position);
        Assert.True(rejected.Position!.Follows(new ReviewPosition(2, c.Version - 1)));
        Assert.StartsWith("材料造假；area-1 于", result.Timeline[0].Detail, StringComparison.Ordinal);
        // The application closes to uploads at once, even where the rejection waits for the round.
        Assert.True(Assert.Single(result.Messages.OfType<LockMaterials>()).Final);
        Assert.Equal([CaseEventKinds.Rejected, CaseEventKinds.MessageSent], result.Timeline.Select(e => e.Kind));
    }

    [Fact]
    public void A_claim_is_taken_renewed_and_given_back_only_by_its_holder()
    {
        Assert.Equal("not_reviewable", Case(CaseState.Returned, holder: null).TakeClaim(ReviewLevel.Site, Reviewer, Now, Lease).Refusal?.Code);
        Assert.Equal("claim_held", Case(holder: Other).TakeClaim(ReviewLevel.Site, Reviewer, Now, Lease).Refusal?.Code);
        Assert.Equal("claim_not_held", Case(holder: Other).RenewClaim(ReviewLevel.Site, Reviewer, Now, Lease).Refusal?.Code);
        Assert.Equal("claim_not_held", Case(holder: Other).GiveBackClaim(Reviewer, Now).Refusal?.Code);

        var c = Case(holder: null);
        Assert.Equal(CaseEventKinds.Claimed, Assert.Single(c.TakeClaim(ReviewLevel.Site, Reviewer, Now, Lease).Timeline).Kind);
        Assert.Equal(CaseEventKinds.ClaimRenewed, Assert.Single(c.TakeClaim(ReviewLevel.Site, Reviewer, Now.AddMinutes(1), Lease).Timeline).Kind);
        Assert.Null(c.RenewClaim(ReviewLevel.Site, Reviewer, Now.AddMinutes(2), Lease).Refusal);
        Assert.Equal(Now.AddMinutes(2) + Lease, c.ClaimExpiresAt);
        Assert.Equal(CaseEventKinds.ClaimReleased, Assert.Single(c.GiveBackClaim(Reviewer, Now.AddMinutes(3)).Timeline).Kind);
        Assert.False(c.HasActiveClaim(Now.AddMinutes(3)));
        // An expired lease holds nothing: renewing it is refused, claiming again is not.
        c.Claim(Reviewer, Now, Lease);
        Assert.Equal("claim_not_held", c.RenewClaim(ReviewLevel.Site, Reviewer, Now + Lease, Lease).Refusal?.Code);
        Assert.Null(c.TakeClaim(ReviewLevel.Site, Reviewer, Now + Lease, Lease).Refusal);
    }
}
