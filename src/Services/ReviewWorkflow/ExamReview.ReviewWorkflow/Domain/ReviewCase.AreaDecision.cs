using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

public enum AreaDecisionKind
{
    Approve,
    Return,
    Reject,
}

/// <summary>
/// A decision of the exam area (考区) itself on a case awaiting area review, made by a provincial system rather than
/// by a reviewer holding a claim: approve, return with reasons from the catalog (<see cref="ReplacementReasons"/>), or
/// reject with a reason. A return with <see cref="Supplement"/> asks the candidate for materials to add, which its note
/// names (补充相关材料): after the site's approval every image is ✓, and that is the return left to a province.
/// </summary>
public sealed record AreaDecision(AreaDecisionKind Kind, IReadOnlyList<string> ReasonCodes, string? Note, bool Supplement = false);

/// <summary>One entry the decision adds to the case's timeline.</summary>
public sealed record TimelineEntry(string Kind, string? Detail);

/// <summary>What a decision did: the refusal, or the timeline entries and messages to commit with the case.</summary>
public sealed record DecisionResult(CaseRefusal? Refusal, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<object> Messages)
{
    public static DecisionResult Refused(CaseRefusal refusal) => new(refusal, [], []);
}

public sealed partial class ReviewCase
{
    /// <summary>
    /// Applies an area-level decision by <paramref name="actor"/> (a provincial system's name). Only a case awaiting
    /// area review takes one, and not while a reviewer holds its claim (two deciders would race). Approving approves
    /// every image still unreviewed (as 一键通过 does) but never one awaiting replacement, never one whose check has not
    /// passed (<paramref name="checks"/>), and never with required materials missing. A return unlocks every image not
    /// approved and tells the candidate the catalog reasons; it names no image, so it withdraws the ✓ of every image whose
    /// check failed after it (<see cref="ImageChecks.FailedAfterApproval"/>), as a reviewer's return does for one it names:
    /// the case could never pass that image again otherwise. A return that would unlock nothing (every image ✓ for good,
    /// nothing missing) is refused, as a reviewer's is: the candidate could change nothing and the case would wait for good;
    /// unless it asks for materials to add (<see cref="AreaDecision.Supplement"/>) and its note says which.
    /// </summary>
    public DecisionResult DecideAtArea(AreaDecision decision, IReadOnlyList<ImageReview> images, ImageChecks checks, string actor, DateTimeOffset now,
        TimeSpan responseWindow)
    {
        var action = decision.Kind switch
        {
            AreaDecisionKind.Approve => ReviewAction.AreaApprove,
            AreaDecisionKind.Return => ReviewAction.Return,
            _ => ReviewAction.Reject,
        };
        if (State != CaseState.AreaReview || ReviewStateMachine.Next(State, action) is null)
        {
            return DecisionResult.Refused(CaseRefusals.IllegalTransition(State, action));
        }
        if (HasActiveClaim(now))
        {
            return DecisionResult.Refused(CaseRefusals.ClaimHeld(this));
        }
        return decision.Kind switch
        {
            AreaDecisionKind.Approve => ApproveForArea(images, checks, actor, now),
            AreaDecisionKind.Return => ReturnForArea(decision, images, checks, actor, now, responseWindow),
            _ => RejectForArea(decision, now),
        };
    }

    private DecisionResult ApproveForArea(IReadOnlyList<ImageReview> images, ImageChecks checks, string actor, DateTimeOffset now)
    {
        var awaiting = images.Where(i => i.Current && i.Decision == ImageDecision.ReplacementRequested).Select(i => i.ImageId).ToList();
        if (awaiting.Count > 0)
        {
            return DecisionResult.Refused(CaseRefusals.ImagesAwaitingReplacement(awaiting));
        }
        if (MissingMaterials() is { Count: > 0 } missing)
        {
            return DecisionResult.Refused(CaseRefusals.MaterialsMissing(missing));
        }
        if (checks.RefuseUnpassed(CurrentImageIds(images)) is { } notPassed)
        {
            return DecisionResult.Refused(notPassed);
        }
        var decided = new Decided();
        foreach (var image in images.Where(i => i.Current && i.Decision == ImageDecision.Pending))
        {
            image.Decision = ImageDecision.Approved;
            image.DecidedBy = actor;
            image.DecidedAt = now;
            decided.Timeline.Add(new TimelineEntry(CaseEventKinds.ImageApproved, TimelineText.Image(image.ImageId)));
        }
        TryApply(ReviewAction.AreaApprove, now);
        MarkReviewed(now);
        DecidedAt = now;
        ReleaseClaim(now);
        // The images the case holds, by id, as a reviewer's area approval names them (ApproveApplication).
        var imageIds = CurrentImageIds(images);
        decided.Timeline.Add(new TimelineEntry(CaseEventKinds.AreaApproved, TimelineText.DecidedByProvince));
        if (imageIds.Count > 0)
        {
            // An empty ApproveMaterials means "every image" to MaterialStorage (its older senders): none is sent for none.
            decided.Send(new ApproveMaterials(Id, ApplicationId, CandidateId, imageIds), TimelineText.Images(imageIds));
        }
        SendFinalLock(imageIds, decided);
        decided.Messages.Add(new ApplicationApproved(Id, ApplicationId, CandidateId, AreaCode) { Position = CurrentPosition, ImageIds = imageIds });
        return decided.Result;
    }

    private DecisionResult ReturnForArea(AreaDecision decision, IReadOnlyList<ImageReview> images, ImageChecks checks, string actor, DateTimeOffset now,
        TimeSpan responseWindow)
    {
        if (decision.Supplement && string.IsNullOrWhiteSpace(decision.Note))
        {
            return DecisionResult.Refused(CaseRefusals.AreaSupplementNoteRequired());
        }
        var failedAfterTick = images.Where(i => i.Current && checks.FailedAfterApproval(i)).ToList();
        if (!decision.Supplement && !ReturnComposition.LeavesSomethingToChange(images, failedAfterTick, MissingMaterials()))
        {
            return DecisionResult.Refused(CaseRefusals.AreaReturnNothingToChange());
        }
        var reasons = decision.ReasonCodes.Select(code => ReplacementReasons.Find(code)!.NameZh).ToList();
        // A supplement may come without catalog reasons (they are about images); its note then is the whole 审核意见. The
        // reasons and the line about withdrawn ✓ come on top of a note of up to the same limit: refused, not cut or failed
        // in the database (a varchar(2000) on PostgreSQL answered 500), when the whole is longer than the case keeps.
        var feedback = (reasons.Count == 0 ? "" : $"退回原因：{string.Join("；", reasons)}。") + (string.IsNullOrWhiteSpace(decision.Note) ? "" : decision.Note.Trim())
            + (failedAfterTick.Count == 0 ? "" : $"\n另有 {failedAfterTick.Count} 张已通过的图片之后检测未通过，请重新上传。");
        if (feedback.Length > ImageDecisionRules.MaxFeedback)
        {
            return DecisionResult.Refused(CaseRefusals.FeedbackTooLong(feedback.Length));
        }
        var timeline = new List<TimelineEntry>();
        var withdrawn = new List<Guid>();
        foreach (var image in failedAfterTick)
        {
            image.Decision = ImageDecision.ReplacementRequested;
            image.ReasonCode = ReplacementReasons.CheckFailed.Code;
            image.Note = null;
            image.DecidedBy = actor;
            image.DecidedAt = now;
            withdrawn.Add(image.ImageId);
            timeline.Add(new TimelineEntry(CaseEventKinds.ImageReplacementRequested, TimelineText.ApprovalWithdrawnInReturn(image.ImageId)));
        }
        TryApply(ReviewAction.Return, now);
        MarkReviewed(now);
        Feedback = feedback;
        RespondBy = now + responseWindow;
        ReturnCount++;
        ReminderSentAt = null;
        ResponseWindowExpiredAt = null;
        EscalatedAt = null;
        AwaitingCorrection = false;
        ReleaseClaim(now);
        timeline.Add(new TimelineEntry(CaseEventKinds.ReturnedArea, decision.Supplement
            ? TimelineText.SupplementByProvince(reasons, RespondBy.Value) : TimelineText.ReturnedByProvince(reasons, RespondBy.Value)));
        timeline.Add(new TimelineEntry(CaseEventKinds.MessageSent,
            $"{nameof(UnlockMaterials)}：{TimelineText.EveryImageNotApproved}{(withdrawn.Count == 0 ? "" : $"，及撤回通过的{TimelineText.Images(withdrawn)}")}"));
        return new DecisionResult(null, timeline,
        [
            new UnlockMaterials(Id, ApplicationId, CandidateId, [], Feedback)
            {
                Position = CurrentPosition,
                CaseImageIds = CaseImageIds.Of(this),
                WithdrawnImageIds = withdrawn,
                RespondBy = RespondBy,
            },
            new ApplicationReturned(Id, ApplicationId, CandidateId, AreaCode, "area", Feedback, RespondBy.Value) { Position = CurrentPosition, NoticeOnUnlock = true },
        ]);
    }

    private DecisionResult RejectForArea(AreaDecision decision, DateTimeOffset now)
    {
        TryApply(ReviewAction.Reject, now);
        MarkReviewed(now);
        DecidedAt = now;
        Feedback = decision.Note!.Trim();
        ReleaseClaim(now);
        var decided = new Decided();
        decided.Timeline.Add(new TimelineEntry(CaseEventKinds.Rejected, TimelineText.Rejected(Feedback, TimelineText.DecidedByProvince)));
        SendFinalLock(CaseImageIds.Of(this), decided);
        decided.Messages.Add(new ApplicationRejected(Id, ApplicationId, CandidateId, AreaCode, Feedback) { Position = CurrentPosition });
        return decided.Result;
    }
}
