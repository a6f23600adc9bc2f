using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Continuous submission mode: an image uploaded while the case is open joins it as unreviewed, so the
/// application cannot be approved past it. The round's first image opened or reopened the case through
/// ApplicationSubmitted; if that has not been handled yet, this message is retried until it has.
/// </summary>
public sealed class MaterialSubmittedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<MaterialSubmittedConsumer> logger)
    : InboxConsumer<MaterialSubmitted, ReviewDbContext>(db, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(MaterialSubmitted message, Guid messageId, CancellationToken cancellationToken)
    {
        var reviewCase = await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken);
        if (reviewCase is null || reviewCase.SubmissionNumber < message.SubmissionNumber || reviewCase.State == CaseState.Returned)
        {
            throw new InvalidOperationException($"The review round {message.SubmissionNumber} of application {message.ApplicationId} is not open yet; retrying.");
        }
        if (await Db.ImageReviews.AnyAsync(i => i.CaseId == reviewCase.Id && i.ImageId == message.ImageId, cancellationToken))
        {
            return; // announced with ApplicationSubmitted already
        }
        if (ReviewStateMachine.IsFinal(reviewCase.State))
        {
            _logger.LogWarning("Image {ImageId} submitted to case {CaseId} after its final decision; ignored", message.ImageId, reviewCase.Id);
            return;
        }
        var now = clock.GetUtcNow();
        // The material's Chinese name as MaterialStorage announced the upload (its code if that message is still on its way).
        var materialName = await Db.KnownImages.Where(k => k.ImageId == message.ImageId).Select(k => k.MaterialName).SingleOrDefaultAsync(cancellationToken);
        // A replacement in place names the image it replaces: that one leaves the case here, in the same step, and the
        // new image carries the decision that asked for it — no stale entry left to block the approval.
        var replaced = message.ReplacesImageId is { } replacedId
            // Current or not: the replaced image's MaterialDeleted may have been handled first and withdrawn it already.
            ? await Db.ImageReviews.SingleOrDefaultAsync(i => i.CaseId == reviewCase.Id && i.ImageId == replacedId, cancellationToken)
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
        Db.ImageReviews.Add(new ImageReview
        {
            Id = Guid.CreateVersion7(),
            CaseId = reviewCase.Id,
            ImageId = message.ImageId,
            MaterialType = message.MaterialType,
            SubmissionNumber = message.SubmissionNumber,
            ReplacesImageId = replaced?.ImageId,
            PreviousDecision = previous,
            PreviousReasonCode = previousReason,
            PreviousNote = previousNote,
        });
        var imageIds = CaseImageIds.Of(reviewCase).Where(id => id != replaced?.ImageId).Append(message.ImageId).ToList();
        reviewCase.ImageIdsJson = CaseImageIds.ToJson(imageIds);
        reviewCase.ReportMissing(message.MissingMaterials);
        reviewCase.ResubmittedSinceReview = true;
        reviewCase.UpdatedAt = now;
        reviewCase.Version++;
        Timeline.Record(Db, reviewCase, replaced is null ? CaseEventKinds.ImageSubmitted : CaseEventKinds.Resubmitted, "candidate",
            TimelineText.ImageSubmitted(message.ImageId, materialName ?? message.MaterialType, replaced?.ImageId), now);
    }
}

/// <summary>
/// Continuous mode: an unreviewed image the candidate deleted leaves the open case, so it does not block
/// approval. Reviewed images cannot be deleted (MaterialStorage refuses), and rows are kept for the audit.
/// </summary>
public sealed class MaterialDeletedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<MaterialDeletedConsumer> logger)
    : InboxConsumer<MaterialDeleted, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(MaterialDeleted message, Guid messageId, CancellationToken cancellationToken)
    {
        var reviewCase = await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken);
        if (reviewCase is null || reviewCase.State is not (CaseState.SiteReview or CaseState.AreaReview))
        {
            return; // not under review: a deletion during a return is handled by the resubmission
        }
        var row = await Db.ImageReviews.SingleOrDefaultAsync(
            i => i.CaseId == reviewCase.Id && i.ImageId == message.ImageId && i.Current && i.Decision == ImageDecision.Pending, cancellationToken);
        var now = clock.GetUtcNow();
        reviewCase.ReportMissing(message.MissingMaterials);
        if (row is null)
        {
            reviewCase.UpdatedAt = now;
            reviewCase.Version++;
            return;
        }
        row.Current = false;
        reviewCase.ImageIdsJson = CaseImageIds.ToJson(CaseImageIds.Of(reviewCase).Where(id => id != message.ImageId).ToList());
        reviewCase.UpdatedAt = now;
        reviewCase.Version++;
        Timeline.Record(Db, reviewCase, CaseEventKinds.ImageWithdrawn, "candidate", TimelineText.Image(message.ImageId), now);
    }
}
