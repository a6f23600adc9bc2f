using ExamReview.Contracts;

namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// The review's commands as they reach the candidate's application: lock, unlock (a return), approve. The steps that
/// open and close the application (lock, unlock, a data return and its resumption) are taken in the review's order,
/// not in the order they arrive: each carries the case's <see cref="ReviewPosition"/>, and one older than the last step
/// taken (a lock retried after the unlock that followed it) changes nothing. Approvals are final and need no order.
/// A data return is left only by the review resuming, so a step at a later position of the same submission (the site's
/// lock and pass of the resumed review) implies the resumption even if its ReviewResumed comes later, or never counts.
/// </summary>
public sealed partial class MaterialApplication
{
    /// <summary>The review position of the last lock, unlock or correction step taken (null before positions were sent).</summary>
    public int? ReviewSubmission { get; private set; }

    public int? ReviewCaseVersion { get; private set; }

    /// <summary>
    /// A reviewer reviewed images; they stay locked even if the application is later returned. With
    /// <paramref name="named"/> (<see cref="LockMaterials.ImagesNamed"/>, every current sender) exactly the images named
    /// lock and an empty list locks none: in continuous mode an image uploaded while the lock was on its way was seen by
    /// no reviewer and stays open. Without it (an older sender) none named means all of them, as before.
    /// Taken after a data return (a later position), it means the review resumed: the application is in review again.
    /// A <paramref name="final"/> lock comes with the final decision and closes the application to the candidate at once
    /// (<see cref="ClosedByDecision"/>): nothing follows a final decision, so no later step can overtake it.
    /// </summary>
    public Decision Lock(IReadOnlyList<Guid> imageIds, ReviewPosition? position = null, bool final = false, bool named = false)
    {
        var inOrder = TakesReviewStep(position);
        if (!inOrder && !final)
        {
            return Decision.Accept();
        }
        if (inOrder && position is not null)
        {
            LeaveCorrectionFor(position);
        }
        var locked = new List<Guid>();
        var toLock = named ? Images.Where(i => imageIds.Contains(i.Id)) : Named(imageIds);
        foreach (var image in toLock.Where(i => i.Review is ImageReviewState.None or ImageReviewState.ReplacementRequested))
        {
            image.Review = ImageReviewState.Locked;
            locked.Add(image.Id);
        }
        ClosedByDecision |= final;
        Touch();
        return Decision.Accept(new MaterialsLocked(Id, CandidateId, locked));
    }

    /// <summary>
    /// A return: the application opens again with the reviewer's feedback. With named images only those await
    /// replacement and every other image that is not approved stays locked (it was reviewed); with no names
    /// everything not approved unlocks. An approved application cannot be returned. An approved image (✓) unlocks only
    /// when named or listed in <paramref name="withdrawn"/>: the review does so only where its check failed after the ✓
    /// and the ✓ was withdrawn (its case could not pass otherwise; a province's return names no image and lists them
    /// there). That is the review's judgement on its own verdict, which may reach it before this service's copy does, so
    /// it is not checked against <see cref="MaterialImage.Validation"/> here.
    /// With <paramref name="caseImageIds"/>
    /// (the images the review case held) the return settles those only: an image outside them was uploaded (continuous
    /// mode) while the return was on its way, and no reviewer has seen it, so it keeps its state and joins the next round
    /// (locking it would leave the candidate unable to replace or delete an image nobody reviewed). Null: every image.
    /// When those uploads already answered the return (<see cref="AnsweredInTransit"/>) the next round starts here, measured
    /// against <paramref name="facts"/> as an upload's round is (<see cref="NextRound"/>), and the candidate is told nothing:
    /// there is nothing left for them to do. Otherwise, with a <paramref name="notice"/> (<see cref="UnlockMaterials.RespondBy"/>),
    /// the return has reached the candidate and <see cref="ReturnReachedCandidate"/> tells them.
    /// </summary>
    public Decision Unlock(IReadOnlyList<Guid> imageIds, string feedback, ReviewPosition? position = null, IReadOnlyList<Guid>? caseImageIds = null,
        IReadOnlyList<Guid>? withdrawn = null, RoundFacts? facts = null, ReturnNotice? notice = null)
    {
        if (State == ApplicationState.Approved)
        {
            return new Refusal(RefusalKind.Conflict, "application_approved", "材料已审核通过，不能再退回修改。",
                $"Application {Id} is approved and cannot be unlocked.");
        }
        // After a final decision's lock only an older step can arrive (nothing follows a final decision): it changes nothing.
        if (ClosedByDecision || !TakesReviewStep(position))
        {
            return Decision.Accept();
        }
        var reopened = withdrawn ?? [];
        var unlocked = new List<Guid>();
        foreach (var image in Images.Where(i => i.Review != ImageReviewState.Approved || imageIds.Contains(i.Id) || reopened.Contains(i.Id)))
        {
            if (caseImageIds is not null && !caseImageIds.Contains(image.Id))
            {
                continue;
            }
            if (reopened.Contains(image.Id) || imageIds.Contains(image.Id))
            {
                image.Review = ImageReviewState.ReplacementRequested;
                unlocked.Add(image.Id);
            }
            else if (imageIds.Count == 0)
            {
                image.Review = ImageReviewState.None;
                unlocked.Add(image.Id);
            }
            else
            {
                image.Review = ImageReviewState.Locked;
            }
        }
        State = ApplicationState.Returned;
        Feedback = feedback;
        Touch();
        var events = new List<object> { new MaterialsUnlocked(Id, CandidateId, unlocked) };
        if (AnsweredInTransit([.. imageIds, .. reopened], caseImageIds) is { } answeredAt)
        {
            events.Add(NextRound(answeredAt, facts));
        }
        else if (notice is not null)
        {
            events.Add(new ReturnReachedCandidate(notice.CaseId, Id, CandidateId, AreaCode, feedback, notice.RespondBy));
        }
        return Decision.Accept([.. events]);
    }

    /// <summary>Approved images (none named: all of them) show ✓ and stay locked for good.</summary>
    public Decision ApproveImages(IReadOnlyList<Guid> imageIds)
    {
        var approved = new List<Guid>();
        foreach (var image in Named(imageIds))
        {
            image.Review = ImageReviewState.Approved;
            approved.Add(image.Id);
        }
        Touch();
        return Decision.Accept(new MaterialsApproved(Id, CandidateId, approved));
    }

    /// <summary>
    /// The final decision (审核通过): the application is locked for good and the images the case held
    /// (<paramref name="imageIds"/>) get their ✓. An image the case never held (uploaded after its last look, before the
    /// final lock arrived) stays without one: no reviewer saw it; it is locked with the application and is not part of
    /// what was approved. Null (an older sender, which named none): every image, as before; empty (a case that held no
    /// image, its missing materials overridden): none.
    /// </summary>
    public Decision Approve(IReadOnlyList<Guid>? imageIds = null)
    {
        foreach (var image in imageIds is null ? Images : Images.Where(i => imageIds.Contains(i.Id)))
        {
            image.Review = ImageReviewState.Approved;
        }
        State = ApplicationState.Approved;
        ClosedByDecision = true;
        Feedback = null;
        Touch();
        return Decision.Accept();
    }

    /// <summary>The final refusal (审核拒绝): nothing can change any more; the candidate reads the reason.</summary>
    public Decision Reject(string reason)
    {
        State = ApplicationState.Rejected;
        ClosedByDecision = true;
        Feedback = reason;
        Touch();
        return Decision.Accept();
    }

    /// <summary>
    /// 考点通过: the candidate's page reads 考点通过 while the area reviews. Only the submission in review can pass; a
    /// late message of an earlier round (the application was returned or decided since) changes nothing. With its
    /// position it is a step of the resumed review when it follows a data return (see <see cref="LeaveCorrectionFor"/>),
    /// and changes nothing when a later step was taken. It does not record its position: the lock decided with it carries
    /// the same one and must still be taken after it.
    /// </summary>
    public Decision PassSite(int submissionNumber, ReviewPosition? position = null)
    {
        var last = ReviewPosition.Of(ReviewSubmission, ReviewCaseVersion);
        if (position is not null && last is not null && last.Follows(position))
        {
            return Decision.Accept();
        }
        if (position is not null && (last is null || position.Follows(last)))
        {
            LeaveCorrectionFor(position);
        }
        if (State == ApplicationState.Submitted && (submissionNumber == 0 || submissionNumber == SubmissionNumber))
        {
            State = ApplicationState.SitePassed;
            Touch();
        }
        return Decision.Accept();
    }

    /// <summary>
    /// A return for a registration-data problem: the candidate reads the reviewer's feedback on the upload page, and
    /// nothing unlocks (staff correct the data). Only an application in review can be returned.
    /// </summary>
    public Decision AwaitCorrection(string feedback, ReviewPosition? position = null)
    {
        // Already awaiting one: a later data return (the area's, after a resumption whose steps were skipped) brings its own words.
        if (TakesReviewStep(position) && (InReview || State == ApplicationState.AwaitingCorrection))
        {
            State = ApplicationState.AwaitingCorrection;
            Feedback = feedback;
            Touch();
        }
        return Decision.Accept();
    }

    /// <summary>Staff corrected the registration: the review resumes at the site and the feedback is settled.</summary>
    public Decision ResumeAfterCorrection(ReviewPosition? position = null)
    {
        if (TakesReviewStep(position) && State == ApplicationState.AwaitingCorrection)
        {
            State = ApplicationState.Submitted;
            Touch();
        }
        return Decision.Accept();
    }

    /// <summary>
    /// A review step of the same submission at a later position than the data return means the case is back in review
    /// (only ReviewResumed, or a resubmission, ends a data return): as <see cref="ResumeAfterCorrection"/>, the application
    /// goes back to Submitted and its feedback is settled (<see cref="FeedbackToShow"/> shows none in review). Without this,
    /// a resumption overtaken by the site's lock would be discarded as older and leave the candidate locked with the
    /// data-return feedback until the final decision.
    /// </summary>
    private void LeaveCorrectionFor(ReviewPosition position)
    {
        if (State == ApplicationState.AwaitingCorrection && position.SubmissionNumber == SubmissionNumber)
        {
            State = ApplicationState.Submitted;
            Touch();
        }
    }

    /// <summary>
    /// Whether a step at <paramref name="position"/> comes after the last one taken, and if so records it (even when the
    /// step then changes nothing, so an older step arriving later is recognised). A step without a position (an older
    /// sender) is taken as it arrives, as before positions.
    /// </summary>
    private bool TakesReviewStep(ReviewPosition? position)
    {
        if (position is null)
        {
            return true;
        }
        if (ReviewPosition.Of(ReviewSubmission, ReviewCaseVersion) is { } last && !position.Follows(last))
        {
            return false;
        }
        ReviewSubmission = position.SubmissionNumber;
        ReviewCaseVersion = position.CaseVersion;
        return true;
    }

    private IEnumerable<MaterialImage> Named(IReadOnlyList<Guid> imageIds) =>
        imageIds.Count == 0 ? Images : Images.Where(i => imageIds.Contains(i.Id));
}
