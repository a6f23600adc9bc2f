using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>A reviewer's ask to replace one image: a reason from the catalog (<see cref="ReplacementReasons"/>) and an optional note.</summary>
public sealed record ReplacementAsk(string ReasonCode, string? Note);

/// <summary>
/// A reviewer passing an application that still misses required materials (continuous mode) says so explicitly and
/// gives the reason; the timeline records both with the materials the override covers.
/// </summary>
public sealed record MissingMaterialsOverride(bool Override, string? Reason)
{
    /// <summary>
    /// The longest reason the timeline takes, as for a resumption's (<see cref="ReviewCase.MaxResumeReason"/>): the entry is
    /// append-only and shown to every reviewer and province that reads the case.
    /// </summary>
    public const int MaxReason = 500;

    public static readonly MissingMaterialsOverride None = new(false, null);
}

/// <summary>
/// A reviewer's decisions, each by the holder of the case's claim at the level the case awaits: per image (✓ for
/// good, or a replacement with a reason), then for the application (approve, reject). Each checks first and changes
/// nothing when refused; the result carries the timeline entries and the messages the caller commits with the case.
/// Results (site approved, approved, rejected) are among the messages; the caller sends them as the area publishes.
/// Every decision that gives an image its ✓ (the image, 一键通过, the application, in bulk) takes the images' check outcomes
/// (<see cref="ImageChecks"/>) and refuses an image whose check has not passed: a ✓ is for good, a verdict may come late.
/// </summary>
public sealed partial class ReviewCase
{
    public DecisionResult ApproveImage(Guid imageId, IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor, DateTimeOffset now)
    {
        if ((RefuseImageDecision(imageId, images, level, actor, now, out var image) ?? checks.RefuseUnpassed([imageId])) is { } refusal)
        {
            return DecisionResult.Refused(refusal);
        }
        var decided = new Decided();
        ApproveImages([image], actor, now, decided);
        return decided.Result;
    }

    /// <summary>
    /// Asks for a replacement of an image not yet approved, or of one approved whose check failed afterwards
    /// (<see cref="ImageChecks.FailedAfterApproval"/>): that request withdraws its ✓, as the case could not pass it
    /// otherwise, and the return that follows asks MaterialStorage to unlock it. Any other ✓ stays final.
    /// </summary>
    public DecisionResult RequestReplacement(Guid imageId, ReplacementAsk ask, IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level,
        string actor, DateTimeOffset now)
    {
        if (ReplacementReasons.Find(ask.ReasonCode) is not { } reason)
        {
            return DecisionResult.Refused(CaseRefusals.UnknownReason());
        }
        if (RefuseImageDecision(imageId, images, level, actor, now, out var image, checks) is { } refusal)
        {
            return DecisionResult.Refused(refusal);
        }
        var withdrawn = image.Decision == ImageDecision.Approved;
        image.Decision = ImageDecision.ReplacementRequested;
        image.ReasonCode = ask.ReasonCode;
        image.Note = string.IsNullOrWhiteSpace(ask.Note) ? null : ask.Note.Trim();
        image.DecidedBy = actor;
        image.DecidedAt = now;
        MarkReviewed(now);
        Touch(now);
        var detail = withdrawn ? TimelineText.ApprovalWithdrawn(imageId, reason.NameZh, image.Note) : TimelineText.ReplacementRequested(imageId, reason.NameZh, image.Note);
        return new DecisionResult(null, [new TimelineEntry(CaseEventKinds.ImageReplacementRequested, detail)], []);
    }

    /// <summary>
    /// 考点通过 (site) or 审核通过 (area) by the claim's holder: refused while an image is unreviewed or awaits replacement,
    /// and while required materials are missing unless <paramref name="missingOverride"/> says so with a reason, and while
    /// an image's check has not passed (a verdict that failed after the image's ✓ stops the application, not just the image).
    /// </summary>
    public DecisionResult Approve(IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor, DateTimeOffset now,
        MissingMaterialsOverride missingOverride)
    {
        var refusal = (missingOverride.Reason?.Trim().Length > MissingMaterialsOverride.MaxReason
                ? CaseRefusals.OverrideReasonTooLong(MissingMaterialsOverride.MaxReason) : null)
            ?? this.RefuseUnlessAllowed(ApprovalAt(level))
            ?? this.RefuseUnlessHeldBy(actor, now)
            ?? RefuseMissing(missingOverride)
            ?? (ImageDecisionRules.Blocking(images) is { Count: > 0 } blocking ? CaseRefusals.NotFullyReviewed(blocking) : null)
            ?? checks.RefuseUnpassed(CurrentImageIds(images));
        if (refusal is not null)
        {
            return DecisionResult.Refused(refusal);
        }
        var decided = new Decided();
        RecordOverride(missingOverride, decided);
        ApproveApplication(images, actor, now, decided);
        return decided.Result;
    }

    /// <summary>
    /// 一键通过: claims the case if it is free, approves every unreviewed image, then the application. Refused while another
    /// holds the case, an image awaits replacement (the reviewer asked for it: a return is due), materials are missing, or
    /// an image's check has not passed (still running: 稍后再审; failed: only a replacement can follow).
    /// </summary>
    public DecisionResult ApproveAll(IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor, DateTimeOffset now, TimeSpan lease)
    {
        var awaiting = images.Where(i => i.Current && i.Decision == ImageDecision.ReplacementRequested).Select(i => i.ImageId).ToList();
        var refusal = this.RefuseUnlessAllowed(ApprovalAt(level))
            ?? (HasActiveClaim(now) && !IsHeldBy(actor, now) ? CaseRefusals.ClaimHeld(this) : null)
            ?? (awaiting.Count > 0 ? CaseRefusals.ImagesAwaitingReplacement(awaiting) : null)
            ?? RefuseMissing(MissingMaterialsOverride.None)
            ?? checks.RefuseUnpassed(CurrentImageIds(images));
        if (refusal is not null)
        {
            return DecisionResult.Refused(refusal);
        }
        var decided = new Decided();
        if (!IsHeldBy(actor, now))
        {
            Claim(actor, now, lease);
            decided.Timeline.Add(new TimelineEntry(CaseEventKinds.Claimed, TimelineText.ClaimedUntil(ClaimExpiresAt!.Value)));
        }
        ApproveImages(images.Where(i => i.Current && i.Decision == ImageDecision.Pending).ToList(), actor, now, decided);
        ApproveApplication(images, actor, now, decided);
        return decided.Result;
    }

    /// <summary>
    /// Whether the case can be one of several approved at once (批量通过): fully reviewed, free or held by the caller, no
    /// materials missing, every image's check passed. Checked first so the caller asks whether a human looked at it only
    /// for a case that qualifies.
    /// </summary>
    public CaseRefusal? RefuseBulkApproval(IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor, DateTimeOffset now) =>
        this.RefuseUnlessAllowed(ApprovalAt(level))
        ?? (HasActiveClaim(now) && !IsHeldBy(actor, now) ? CaseRefusals.ClaimHeld(this) : null)
        ?? (ImageDecisionRules.Blocking(images) is { Count: > 0 } blocking ? CaseRefusals.NotFullyReviewed(blocking) : null)
        ?? RefuseMissing(MissingMaterialsOverride.None)
        ?? checks.RefuseUnpassed(CurrentImageIds(images));

    /// <summary>
    /// Approves the case as one of several (<see cref="RefuseBulkApproval"/>); at area level only one the caller looked at
    /// in its current round (<paramref name="lookedAt"/>): every decision needs a human look.
    /// </summary>
    public DecisionResult ApproveInBulk(IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor, DateTimeOffset now, bool lookedAt)
    {
        var refusal = RefuseBulkApproval(images, checks, level, actor, now) ?? (level == ReviewLevel.Area && !lookedAt ? CaseRefusals.NotLookedAt() : null);
        if (refusal is not null)
        {
            return DecisionResult.Refused(refusal);
        }
        var decided = new Decided();
        ApproveApplication(images, actor, now, decided);
        return decided.Result;
    }

    /// <summary>审核拒绝 by the area reviewer holding the case, with the reason the candidate reads.</summary>
    public DecisionResult Reject(string reason, string actor, DateTimeOffset now)
    {
        if ((this.RefuseUnlessAllowed(ReviewAction.Reject) ?? this.RefuseUnlessHeldBy(actor, now)) is { } refusal)
        {
            return DecisionResult.Refused(refusal);
        }
        var claimedBy = TimelineText.ClaimedBy(HasActiveClaim(now) ? ClaimedBy : null, ClaimedAt);
        TryApply(ReviewAction.Reject, now);
        MarkReviewed(now);
        DecidedAt = now;
        Feedback = reason.Trim();
        ReleaseClaim(now);
        var decided = new Decided();
        decided.Timeline.Add(new TimelineEntry(CaseEventKinds.Rejected, TimelineText.Rejected(Feedback, claimedBy)));
        SendFinalLock(CaseImageIds.Of(this), decided);
        decided.Messages.Add(new ApplicationRejected(Id, ApplicationId, CandidateId, AreaCode, Feedback) { Position = CurrentPosition });
        return decided.Result;
    }

    /// <summary>
    /// A final decision (审核通过, 审核拒绝) closes the application to uploads at once: the result itself may be held until
    /// the area's round publishes, but an image uploaded meanwhile would belong to an application no reviewer looks at again.
    /// </summary>
    private void SendFinalLock(IReadOnlyList<Guid> imageIds, Decided decided) =>
        decided.Send(new LockMaterials(Id, ApplicationId, CandidateId, imageIds) { Position = CurrentPosition, Final = true, ImagesNamed = true },
            TimelineText.FinalLock(imageIds.Count));

    private static List<Guid> CurrentImageIds(IEnumerable<ImageReview> images) => images.Where(i => i.Current).Select(i => i.ImageId).ToList();

    private static ReviewAction ApprovalAt(ReviewLevel level) => level == ReviewLevel.Site ? ReviewAction.SiteApprove : ReviewAction.AreaApprove;

    /// <summary>
    /// Per-image decisions: the case awaits the reviewer's level, they hold it, and the image is current and not ✓ —
    /// unless <paramref name="withdrawable"/> is given and says its check failed after the ✓ (a replacement request only).
    /// </summary>
    private CaseRefusal? RefuseImageDecision(Guid imageId, IReadOnlyList<ImageReview> images, ReviewLevel level, string actor, DateTimeOffset now,
        out ImageReview image, ImageChecks? withdrawable = null)
    {
        image = null!;
        if ((this.RefuseUnlessReviewableAt(level) ?? this.RefuseUnlessHeldBy(actor, now)) is { } refusal)
        {
            return refusal;
        }
        if (images.SingleOrDefault(i => i.ImageId == imageId && i.Current) is not { } found)
        {
            return CaseRefusals.ImageNotFound(imageId);
        }
        image = found;
        return found.Decision == ImageDecision.Approved && withdrawable?.FailedAfterApproval(found) != true ? CaseRefusals.ImageApproved() : null;
    }

    /// <summary>
    /// Required materials still missing (continuous mode) block an approval unless the reviewer overrides it explicitly
    /// with a reason, which the timeline records with the materials it covers (<see cref="RecordOverride"/>).
    /// </summary>
    private CaseRefusal? RefuseMissing(MissingMaterialsOverride missingOverride) =>
        MissingMaterials() is { Count: > 0 } missing && !(missingOverride.Override && !string.IsNullOrWhiteSpace(missingOverride.Reason))
            ? CaseRefusals.MaterialsMissing(missing)
            : null;

    private void RecordOverride(MissingMaterialsOverride missingOverride, Decided decided)
    {
        if (MissingMaterials() is { Count: > 0 } missing)
        {
            decided.Timeline.Add(new TimelineEntry(CaseEventKinds.MissingMaterialsOverridden, TimelineText.MissingOverridden(missing, missingOverride.Reason!)));
        }
    }

    private void ApproveImages(IReadOnlyList<ImageReview> images, string actor, DateTimeOffset now, Decided decided)
    {
        if (images.Count == 0)
        {
            return;
        }
        foreach (var image in images)
        {
            image.Decision = ImageDecision.Approved;
            image.ReasonCode = null;
            image.Note = null;
            image.DecidedBy = actor;
            image.DecidedAt = now;
            decided.Timeline.Add(new TimelineEntry(CaseEventKinds.ImageApproved, TimelineText.Image(image.ImageId)));
        }
        var ids = images.Select(i => i.ImageId).ToList();
        decided.Send(new ApproveMaterials(Id, ApplicationId, CandidateId, ids), TimelineText.Images(ids));
        MarkReviewed(now);
        Touch(now);
    }

    /// <summary>Approves the application at the case's current level; the next level claims afresh.</summary>
    private void ApproveApplication(IReadOnlyList<ImageReview> images, string actor, DateTimeOffset now, Decided decided)
    {
        var siteLevel = State == CaseState.SiteReview;
        TryApply(siteLevel ? ReviewAction.SiteApprove : ReviewAction.AreaApprove, now);
        MarkReviewed(now);
        var claimedBy = TimelineText.ClaimedBy(HasActiveClaim(now) ? ClaimedBy : null, ClaimedAt);
        if (siteLevel)
        {
            SiteApprovedAt = now;
            // The images the case holds, by id, and only those: none for a case that held none (its missing materials
            // overridden), so an image uploaded while the lock is on its way stays open for the area's look.
            var imageIds = CurrentImageIds(images);
            decided.Timeline.Add(new TimelineEntry(CaseEventKinds.SiteApproved, claimedBy));
            decided.Send(new LockMaterials(Id, ApplicationId, CandidateId, imageIds) { Position = CurrentPosition, ImagesNamed = true },
                TimelineText.ImageCount(imageIds.Count));
            decided.Messages.Add(new ApplicationSiteApproved(Id, ApplicationId, CandidateId, AreaCode, SiteCode) { SubmissionNumber = SubmissionNumber, Position = CurrentPosition });
        }
        else
        {
            DecidedAt = now;
            // The images the case holds, by id: an image it never held (uploaded after the last look) gets no ✓.
            var imageIds = CurrentImageIds(images);
            decided.Timeline.Add(new TimelineEntry(CaseEventKinds.AreaApproved, claimedBy));
            if (imageIds.Count > 0)
            {
                // An empty ApproveMaterials means "every image" to MaterialStorage (its older senders): none is sent for none.
                decided.Send(new ApproveMaterials(Id, ApplicationId, CandidateId, imageIds), TimelineText.Images(imageIds));
            }
            SendFinalLock(imageIds, decided);
            decided.Messages.Add(new ApplicationApproved(Id, ApplicationId, CandidateId, AreaCode) { Position = CurrentPosition, ImageIds = imageIds });
        }
        ReleaseClaim(now);
    }

    /// <summary>What a decision adds up, step by step, before it becomes its <see cref="DecisionResult"/>.</summary>
    private sealed class Decided
    {
        public List<TimelineEntry> Timeline { get; } = [];
        public List<object> Messages { get; } = [];

        /// <summary>A command to MaterialStorage, and the timeline entry that records its sending.</summary>
        public void Send<TMessage>(TMessage message, string detail) where TMessage : class
        {
            Messages.Add(message);
            Timeline.Add(new TimelineEntry(CaseEventKinds.MessageSent, $"{typeof(TMessage).Name}：{detail}"));
        }

        public DecisionResult Result => new(null, Timeline, Messages);
    }
}
