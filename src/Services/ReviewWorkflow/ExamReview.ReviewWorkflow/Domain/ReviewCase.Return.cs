using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// A reviewer's return as asked: the words to the candidate (审核意见), the images named in the call (its older form:
/// each becomes a replacement request without a reason code of its own), whether the problem is in the registration
/// data rather than in the images, and whether the candidate is to add materials the words name (补充相关材料).
/// </summary>
public sealed record ReviewerReturn(string? Feedback, IReadOnlyList<Guid> NamedImages, bool RegistrationData, bool Supplement = false);

/// <summary>
/// What a return would send, decided without changing anything: the images to replace and the 审核意见 naming them, or
/// why it cannot go.
/// </summary>
public sealed record ReturnPlan(CaseRefusal? Refusal, IReadOnlyList<ImageReview> ToReplace, string Feedback = "")
{
    public static ReturnPlan Refused(CaseRefusal refusal) => new(refusal, []);
}

public sealed partial class ReviewCase
{
    /// <summary>
    /// Checks a reviewer's return against the case and its images (the images it sends: <see cref="ReturnComposition.ImagesToReplace"/>,
    /// every failed check included except in a registration-data return, which unlocks nothing): every named image must be in the current submission
    /// and not approved (✓ is final, except where its check failed afterwards: <see cref="ImageChecks.FailedAfterApproval"/>),
    /// the case must await the reviewer's level and be held by them, a return names an image to replace or says why in
    /// words, and a registration-data return says what to correct and asks for no image. Any other return must leave the
    /// candidate something to change (<see cref="ReturnComposition.LeavesSomethingToChange"/>) or ask, in words, for
    /// materials to add (<see cref="ReviewerReturn.Supplement"/>): with every image ✓, nothing missing and no such request
    /// it would unlock nothing, and the seeds' return is "更新/补充相关材料" or a registration-data problem — a candidate
    /// who "确实不符合" is told by the area's 审核拒绝, not by a return that waits for good. The 审核意见 names each image to
    /// replace by its material (<paramref name="materialNames"/>) and must fit what the case keeps
    /// (<see cref="ImageDecisionRules.MaxFeedback"/>). The preview and the return both start here, so the preview shows
    /// exactly what the return will send.
    /// </summary>
    public ReturnPlan PlanReturn(ReviewerReturn request, IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor, DateTimeOffset now,
        IReadOnlyDictionary<Guid, string>? materialNames = null)
    {
        var named = request.NamedImages;
        var unknown = named.Where(id => !images.Any(i => i.Current && i.ImageId == id)).ToList();
        if (unknown.Count > 0)
        {
            return ReturnPlan.Refused(CaseRefusals.UnknownImages(unknown));
        }
        if (ReviewStateMachine.Next(State, ReviewAction.Return) is null)
        {
            return ReturnPlan.Refused(CaseRefusals.IllegalTransition(State, ReviewAction.Return));
        }
        if ((this.RefuseUnlessReviewableAt(level) ?? this.RefuseUnlessHeldBy(actor, now)) is { } notHeld)
        {
            return ReturnPlan.Refused(notHeld);
        }
        var approvedNamed = images.Where(i => i.Current && named.Contains(i.ImageId) && i.Decision == ImageDecision.Approved && !checks.FailedAfterApproval(i))
            .Select(i => i.ImageId).ToList();
        if (approvedNamed.Count > 0)
        {
            return ReturnPlan.Refused(CaseRefusals.ApprovedImagesNamed(approvedNamed));
        }
        var toReplace = ReturnComposition.ImagesToReplace(images, named, checks, failedChecks: !request.RegistrationData);
        if (!request.RegistrationData && !request.Supplement && !ReturnComposition.LeavesSomethingToChange(images, toReplace, MissingMaterials()))
        {
            return ReturnPlan.Refused(CaseRefusals.ReturnNothingToChange());
        }
        if (request.Supplement && string.IsNullOrWhiteSpace(request.Feedback))
        {
            return ReturnPlan.Refused(CaseRefusals.SupplementFeedbackRequired());
        }
        if (toReplace.Count == 0 && string.IsNullOrWhiteSpace(request.Feedback))
        {
            return ReturnPlan.Refused(CaseRefusals.FeedbackRequired());
        }
        if (request.RegistrationData && (toReplace.Count > 0 || request.Supplement || string.IsNullOrWhiteSpace(request.Feedback)))
        {
            return ReturnPlan.Refused(CaseRefusals.DataReturnWithImages());
        }
        var feedback = ImageDecisionRules.ComposeFeedback(request.Feedback, toReplace, id => materialNames?.GetValueOrDefault(id));
        return feedback.Length > ImageDecisionRules.MaxFeedback
            ? ReturnPlan.Refused(CaseRefusals.FeedbackTooLong(feedback.Length))
            : new ReturnPlan(null, toReplace, feedback);
    }

    /// <summary>
    /// Returns the case to the candidate, as <see cref="PlanReturn"/> allows: named images, and every image whose check
    /// failed (<see cref="ReplacementReasons.CheckFailed"/>), become replacement requests (a ✓ whose check failed
    /// afterwards is withdrawn so), the 审核意见 names each image to replace by its material
    /// (<paramref name="materialNames"/>), the response window starts again, and one batched unlock goes to MaterialStorage
    /// (none for a data problem: the candidate has nothing to upload, staff correct the registration) with one notice to
    /// the candidate: sent by MaterialStorage with the unlock (<see cref="ReturnReachedCandidate"/>), or by Notification on
    /// ApplicationReturned for a data return. The unlock names every image to replace; MaterialStorage unlocks an approved image only when named,
    /// and only this withdrawal names one.
    /// </summary>
    public DecisionResult Return(ReviewerReturn request, IReadOnlyList<ImageReview> images, ImageChecks checks, ReviewLevel level, string actor,
        DateTimeOffset now, TimeSpan responseWindow, IReadOnlyDictionary<Guid, string> materialNames)
    {
        var plan = PlanReturn(request, images, checks, level, actor, now, materialNames);
        if (plan.Refusal is { } refusal)
        {
            return DecisionResult.Refused(refusal);
        }
        var timeline = new List<TimelineEntry>();
        // The plan's rows are copies for the images the reviewer did not mark (named, or their check failed): apply them.
        var planned = plan.ToReplace.ToDictionary(i => i.ImageId);
        foreach (var image in images.Where(i => i.Current && i.Decision != ImageDecision.ReplacementRequested && planned.ContainsKey(i.ImageId)))
        {
            var withdrawn = image.Decision == ImageDecision.Approved;
            image.Decision = ImageDecision.ReplacementRequested;
            image.ReasonCode = planned[image.ImageId].ReasonCode;
            image.DecidedBy = actor;
            image.DecidedAt = now;
            timeline.Add(new TimelineEntry(CaseEventKinds.ImageReplacementRequested,
                withdrawn ? TimelineText.ApprovalWithdrawnInReturn(image.ImageId)
                : image.ReasonCode == ReplacementReasons.CheckFailed.Code ? TimelineText.CheckFailedInReturn(image.ImageId)
                : TimelineText.NamedInReturn(image.ImageId)));
        }
        var toReplace = images.Where(i => i.Current && i.Decision == ImageDecision.ReplacementRequested).ToList();
        var replaceIds = toReplace.Select(i => i.ImageId).ToList();
        var claimedBy = TimelineText.ClaimedBy(HasActiveClaim(now) ? ClaimedBy : null, ClaimedAt);
        var levelName = State == CaseState.SiteReview ? "site" : "area";
        TryApply(ReviewAction.Return, now);
        MarkReviewed(now);
        // The plan's text: the rows it composed from are the ones just marked, in the same order.
        Feedback = plan.Feedback;
        RespondBy = now + responseWindow;
        ReturnCount++;
        ReminderSentAt = null;
        ResponseWindowExpiredAt = null;
        EscalatedAt = null;
        ReleaseClaim(now);
        AwaitingCorrection = request.RegistrationData;
        if (request.RegistrationData)
        {
            DataReturnedAt = now;
        }
        timeline.Add(new TimelineEntry(levelName == "site" ? CaseEventKinds.ReturnedSite : CaseEventKinds.ReturnedArea,
            request.RegistrationData ? TimelineText.ReturnedForRegistrationData(RespondBy.Value, claimedBy)
                : request.Supplement ? TimelineText.ReturnedForSupplement(replaceIds.Count, RespondBy.Value, claimedBy)
                : TimelineText.ReturnedForImages(replaceIds.Count, RespondBy.Value, claimedBy)));
        var messages = new List<object>();
        if (!request.RegistrationData)
        {
            timeline.Add(new TimelineEntry(CaseEventKinds.MessageSent,
                $"{nameof(UnlockMaterials)}：{(replaceIds.Count == 0 ? TimelineText.EveryImageNotApproved : TimelineText.Images(replaceIds))}"));
            // Named with the images the case holds, so one uploaded while this is on its way is neither locked nor unlocked by it.
            messages.Add(new UnlockMaterials(Id, ApplicationId, CandidateId, replaceIds, Feedback)
            {
                Position = CurrentPosition,
                CaseImageIds = CurrentImageIds(images),
                RespondBy = RespondBy,
            });
        }
        // A return that unlocks is told to the candidate by MaterialStorage's unlock, which alone knows whether uploads made
        // meanwhile answered it (continuous mode); a data return unlocks nothing and is told with this event.
        messages.Add(new ApplicationReturned(Id, ApplicationId, CandidateId, AreaCode, levelName, Feedback, RespondBy.Value)
        {
            RegistrationData = request.RegistrationData, Position = CurrentPosition, NoticeOnUnlock = !request.RegistrationData,
        });
        return new DecisionResult(null, timeline, messages);
    }
}
