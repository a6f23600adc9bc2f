using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>What a case made of a submission after its first (<see cref="ReviewCase.TakeResubmission"/>).</summary>
public enum ResubmissionOutcome
{
    /// <summary>The case has this submission or a later one already (a redelivery, or a late copy): nothing changes.</summary>
    AlreadyKnown,

    /// <summary>The case is not returned, so no resubmission can move it: the review and the application disagree.</summary>
    NotReturned,

    /// <summary>Back in site review with the submission's images (<see cref="ResubmissionTaken.Added"/>: the rows to add).</summary>
    Taken,
}

/// <summary>The outcome, the image rows to add, and the timeline entries to record.</summary>
public sealed record ResubmissionTaken(ResubmissionOutcome Outcome, IReadOnlyList<ImageReview> Added, IReadOnlyList<TimelineEntry> Timeline)
{
    public static ResubmissionTaken Nothing(ResubmissionOutcome outcome) => new(outcome, [], []);
}

public sealed partial class ReviewCase
{
    /// <summary>
    /// The candidate's resubmission after a return (ApplicationSubmitted n+1), given every image row the case has: back to
    /// site review, flagged, each replacement beside the decision that asked for it (<see cref="ImageDecisionRules.Resubmit"/>),
    /// the submission's missing materials taken, the return's window over. The timeline counts the images that came in for
    /// this round: those new in the submission, and those that joined the case while it was returned (continuous mode: an
    /// upload made while the return was on its way, <see cref="ImageReview.ArrivedInReturn"/>), which the submission lists
    /// again; and how many of them replace an earlier image. A round opened by MaterialStorage's unlock (the return answered
    /// in transit) holds nothing but such images: counting only the new ones, its entry read "共 0 张，其中替换 0 张".
    /// </summary>
    public ResubmissionTaken TakeResubmission(ApplicationSubmitted submission, IReadOnlyList<ImageReview> images, Func<Guid, string?> materialTypeOf,
        DateTimeOffset now)
    {
        if (submission.SubmissionNumber <= SubmissionNumber)
        {
            return ResubmissionTaken.Nothing(ResubmissionOutcome.AlreadyKnown);
        }
        if (!TryApply(ReviewAction.Resubmit, now))
        {
            return ResubmissionTaken.Nothing(ResubmissionOutcome.NotReturned);
        }
        var added = ImageDecisionRules.Resubmit(Id, images, submission.ImageIds, submission.SubmissionNumber, materialTypeOf);
        // Rows the submission no longer lists were made not current by Resubmit: a deleted upload did not come in.
        var cameIn = images.Where(i => i.Current && i.ArrivedInReturn == ReturnCount).Concat(added).ToList();
        SubmissionNumber = submission.SubmissionNumber;
        ImageIdsJson = CaseImageIds.ToJson(submission.ImageIds);
        SubmittedAt = submission.SubmittedAt;
        ResubmittedSinceReview = true;
        ReportMissing(submission.MissingMaterials);
        ResponseWindowExpiredAt = null;
        EscalatedAt = null;
        var late = RespondBy is { } due && submission.SubmittedAt > due;
        return new ResubmissionTaken(ResubmissionOutcome.Taken, added,
        [
            new TimelineEntry(CaseEventKinds.Resubmitted,
                TimelineText.Resubmitted(SubmissionNumber, cameIn.Count(i => i.ReplacesImageId is not null), cameIn.Count, late)),
        ]);
    }
}
