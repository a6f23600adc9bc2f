namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// A continuous-mode upload as the case hears of it (MaterialSubmitted): the image, its material (the catalog's name for
/// the timeline, the code if MaterialUploaded has not arrived yet), the submission MaterialStorage counted it in, the
/// image it replaces in place, and what the application still misses with it in.
/// </summary>
public sealed record SubmittedUpload(
    Guid ImageId,
    string MaterialType,
    string MaterialName,
    int SubmissionNumber,
    Guid? ReplacesImageId,
    IReadOnlyList<string>? MissingMaterials);

/// <summary>What a case made of an upload (<see cref="ReviewCase.TakeUpload"/>).</summary>
public enum UploadOutcome
{
    /// <summary>The round the upload opened has not reached the case yet (its ApplicationSubmitted is on its way): ask again later.</summary>
    RoundNotOpenYet,

    /// <summary>Nothing to do: the case holds the image already, or the image left the application before a later submission.</summary>
    NothingToJoin,

    /// <summary>After 审核通过 or 审核拒绝 no reviewer looks at the case again: the image stays out (the final lock keeps it out of the approval).</summary>
    AfterFinalDecision,

    /// <summary>The image is in the case, unreviewed (<see cref="UploadTaken.Added"/>).</summary>
    Joined,
}

/// <summary>The outcome, the row to add when the image joined, and the timeline entries to record.</summary>
public sealed record UploadTaken(UploadOutcome Outcome, ImageReview? Added, IReadOnlyList<TimelineEntry> Timeline)
{
    public static UploadTaken Nothing(UploadOutcome outcome) => new(outcome, null, []);
}

/// <summary>
/// Continuous mode (an area reviewing images as they arrive): each upload joins the case as it stands, and an unreviewed
/// image the candidate deletes leaves it. An upload can reach the case after a return was decided and before
/// MaterialStorage applied the unlock (the candidate's page still read 审核中): it belongs to the returned round's
/// submission number, the case takes it (it used to be refused until the retries ran out and it was dead-lettered) and the
/// next round reviews it — the candidate's resubmission, or the review resuming after a data return, which sends no new
/// submission at all. The return's unlock names the images the case held (UnlockMaterials.CaseImageIds), so MaterialStorage
/// leaves such an image open instead of locking it unseen.
/// </summary>
public sealed partial class ReviewCase
{
    /// <summary>
    /// Takes an upload into the case, given every image row the case has (<paramref name="images"/>, current or not).
    /// Idempotent: an image the case holds already (announced with ApplicationSubmitted, or a redelivery) changes nothing.
    /// </summary>
    public UploadTaken TakeUpload(SubmittedUpload upload, IReadOnlyList<ImageReview> images, DateTimeOffset now)
    {
        if (upload.SubmissionNumber > SubmissionNumber)
        {
            return UploadTaken.Nothing(UploadOutcome.RoundNotOpenYet);
        }
        // An upload of an earlier round the case does not hold was deleted or replaced before the later submission, which
        // lists every image the application had: joining it now would leave an image nobody can review blocking the approval.
        if (images.Any(i => i.ImageId == upload.ImageId) || upload.SubmissionNumber < SubmissionNumber)
        {
            return UploadTaken.Nothing(UploadOutcome.NothingToJoin);
        }
        if (ReviewStateMachine.IsFinal(State))
        {
            return UploadTaken.Nothing(UploadOutcome.AfterFinalDecision);
        }
        // A replacement in place names the image it replaces: that one leaves the case in the same step, and the new image
        // carries the decision that asked for it — no stale entry left to block the approval. Current or not: the replaced
        // image's MaterialDeleted may have withdrawn it already.
        var replaced = upload.ReplacesImageId is { } replacedId
            ? images.Where(i => i.ImageId == replacedId).OrderByDescending(i => i.Current).FirstOrDefault()
            : null;
        if (replaced is not null)
        {
            replaced.Current = false;
        }
        var (previous, previousReason, previousNote) = replaced switch
        {
            null => ((ImageDecision?)null, (string?)null, (string?)null),
            { Decision: ImageDecision.Pending, PreviousDecision: not null } => (replaced.PreviousDecision, replaced.PreviousReasonCode, replaced.PreviousNote),
            _ => (replaced.Decision, replaced.ReasonCode, replaced.Note),
        };
        var returned = State == CaseState.Returned;
        var added = new ImageReview
        {
            Id = Guid.CreateVersion7(),
            CaseId = Id,
            ImageId = upload.ImageId,
            MaterialType = upload.MaterialType,
            SubmissionNumber = upload.SubmissionNumber,
            ReplacesImageId = replaced?.ImageId,
            PreviousDecision = previous,
            PreviousReasonCode = previousReason,
            PreviousNote = previousNote,
            ArrivedInReturn = returned ? ReturnCount : null,
        };
        ImageIdsJson = CaseImageIds.ToJson(CaseImageIds.Of(this).Where(id => id != replaced?.ImageId).Append(upload.ImageId).ToList());
        ReportMissing(upload.MissingMaterials);
        if (!returned)
        {
            // Flagged for the reviewer now; a returned case is flagged by what ends the return (resubmission, resumption).
            ResubmittedSinceReview = true;
        }
        Touch(now);
        var detail = TimelineText.ImageSubmitted(upload.ImageId, upload.MaterialName, replaced?.ImageId);
        return new UploadTaken(UploadOutcome.Joined, added,
            [new TimelineEntry(replaced is null ? CaseEventKinds.ImageSubmitted : CaseEventKinds.Resubmitted, returned ? TimelineText.ArrivedDuringReturn(detail) : detail)]);
    }

    /// <summary>
    /// The candidate deleted an image (<paramref name="images"/>: the case's rows for it). An unreviewed one leaves the
    /// case, so it does not block the approval, also while the case is returned: a data return resumes without a new
    /// submission to drop it. Reviewed images cannot be deleted (MaterialStorage refuses); rows are kept for the audit.
    /// A case not in review or returned takes nothing, not even the missing materials.
    /// </summary>
    public IReadOnlyList<TimelineEntry> TakeDeletion(Guid imageId, IReadOnlyList<string>? missingMaterials, IReadOnlyList<ImageReview> images, DateTimeOffset now)
    {
        if (State is not (CaseState.SiteReview or CaseState.AreaReview or CaseState.Returned))
        {
            return [];
        }
        ReportMissing(missingMaterials);
        Touch(now);
        if (images.SingleOrDefault(i => i.ImageId == imageId && i.Current && i.Decision == ImageDecision.Pending) is not { } row)
        {
            return [];
        }
        row.Current = false;
        ImageIdsJson = CaseImageIds.ToJson(CaseImageIds.Of(this).Where(id => id != imageId).ToList());
        return [new TimelineEntry(CaseEventKinds.ImageWithdrawn, TimelineText.Image(imageId))];
    }
}
