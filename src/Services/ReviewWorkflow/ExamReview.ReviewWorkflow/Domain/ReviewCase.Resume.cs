using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>A staff correction of the registration as the case hears of it (RegistrationCorrected).</summary>
public sealed record StaffCorrection(string CorrectedBy, IReadOnlyList<string> FieldNames, string Reason, DateTimeOffset CorrectedAt);

/// <summary>
/// The two ways out of a return for a registration-data problem (报名信息有问题), where the candidate has nothing to
/// upload and so no resubmission can ever move the case: staff correct the registration (the seeds: "请考生及时联系考点考务
/// 工作人员进行信息修改"), or a reviewer finds there is nothing staff can correct (the candidate fixed it elsewhere, the
/// data was right after all, the return was a mistake). Both send the same <see cref="ReviewResumed"/>, so MaterialStorage,
/// Registration and Notification cannot tell them apart and behave alike.
/// </summary>
/// <remarks>
/// A candidate's own profile change (CandidateProfileChanged: education, situation, contact) does not resume the case:
/// the seeds route registration problems through site staff, and whether a change answers the return is a reviewer's
/// judgement, which <see cref="ResumeAfterDataReturn"/> records with its reason.
/// </remarks>
public sealed partial class ReviewCase
{
    /// <summary>The longest reason a reviewer gives for resuming (the same bound as a staff correction's reason).</summary>
    public const int MaxResumeReason = 500;

    /// <summary>
    /// A staff correction reached the case: always on the timeline; a case awaiting one resumes site review, unless the
    /// correction was made before the data return (consumed late, from a backlog): it cannot answer a return that
    /// came after it, and resuming would unlock nothing the return was about. Never refused.
    /// </summary>
    public DecisionResult TakeCorrection(StaffCorrection correction, DateTimeOffset now)
    {
        var recorded = TimelineText.RegistrationCorrected(correction.FieldNames, correction.Reason);
        if (!AwaitingCorrection || this.RefuseUnlessAllowed(ReviewAction.Resume) is not null)
        {
            Touch(now);
            return new DecisionResult(null, [new TimelineEntry(CaseEventKinds.RegistrationCorrected, recorded)], []);
        }
        // Registration's clock against ours: a human reads the return before correcting, minutes apart, far beyond
        // the hosts' clock skew. A case returned before DataReturnedAt was kept (null) resumes as it always did.
        if (DataReturnedAt is { } returnedAt && correction.CorrectedAt <= returnedAt)
        {
            Touch(now);
            return new DecisionResult(null,
                [new TimelineEntry(CaseEventKinds.RegistrationCorrected, TimelineText.CorrectedBeforeReturn(recorded, correction.CorrectedAt, returnedAt))], []);
        }
        Resume(now);
        return new DecisionResult(null,
            [new TimelineEntry(CaseEventKinds.RegistrationCorrected, recorded), new TimelineEntry(CaseEventKinds.Resumed, TimelineText.BackToSiteReview)],
            [Resumed(correction.Reason, now)]);
    }

    /// <summary>
    /// A reviewer resumes a case returned for registration data without a correction, saying why. Refused (and nothing
    /// changes) without a reason, or when the case is not awaiting a correction: a return for images ends with the
    /// candidate's resubmission, and a case in review or decided has nothing to resume.
    /// </summary>
    public DecisionResult ResumeAfterDataReturn(string? reason, DateTimeOffset now)
    {
        var trimmed = reason?.Trim();
        var refusal = trimmed is not { Length: >= 2 and <= MaxResumeReason } ? CaseRefusals.ResumeReasonRequired(MaxResumeReason)
            : !AwaitingCorrection || this.RefuseUnlessAllowed(ReviewAction.Resume) is not null ? CaseRefusals.NotAwaitingCorrection(State)
            : null;
        if (refusal is not null)
        {
            return DecisionResult.Refused(refusal);
        }
        Resume(now);
        return new DecisionResult(null, [new TimelineEntry(CaseEventKinds.Resumed, TimelineText.ResumedByReviewer(trimmed!))], [Resumed(trimmed!, now)]);
    }

    /// <summary>Back to site review, flagged like a resubmission so the site reviewer looks again; the return's window is over.</summary>
    private void Resume(DateTimeOffset now)
    {
        TryApply(ReviewAction.Resume, now);
        AwaitingCorrection = false;
        ResubmittedSinceReview = true;
        RespondBy = null;
        ReminderSentAt = null;
        ResponseWindowExpiredAt = null;
        EscalatedAt = null;
    }

    private ReviewResumed Resumed(string reason, DateTimeOffset now) =>
        new(Id, ApplicationId, CandidateId, AreaCode, SiteCode, reason, now) { Position = CurrentPosition };
}
