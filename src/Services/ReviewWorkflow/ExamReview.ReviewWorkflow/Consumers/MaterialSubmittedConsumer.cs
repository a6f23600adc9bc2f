using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Continuous submission mode: an uploaded image joins the case as unreviewed, so the application cannot be approved
/// past it; one that arrives while the case is returned joins it for the next round (<see cref="ReviewCase.TakeUpload"/>
/// decides). The round's first image opened or reopened the case through ApplicationSubmitted; if that has not been
/// handled yet, this message is retried until it has.
/// </summary>
public sealed class MaterialSubmittedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<MaterialSubmittedConsumer> logger)
    : InboxConsumer<MaterialSubmitted, ReviewDbContext>(db, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(MaterialSubmitted message, Guid messageId, CancellationToken cancellationToken)
    {
        var reviewCase = await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken)
            ?? throw NotOpenYet(message);
        var images = await Db.ImageReviews.Where(i => i.CaseId == reviewCase.Id).ToListAsync(cancellationToken);
        // The material's Chinese name as MaterialStorage announced the upload (its code if that message is still on its way).
        var materialName = await Db.KnownImages.Where(k => k.ImageId == message.ImageId).Select(k => k.MaterialName).SingleOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var upload = new SubmittedUpload(message.ImageId, message.MaterialType, materialName ?? message.MaterialType, message.SubmissionNumber,
            message.ReplacesImageId, message.MissingMaterials);
        var taken = reviewCase.TakeUpload(upload, images, now);
        switch (taken.Outcome)
        {
            case UploadOutcome.RoundNotOpenYet:
                throw NotOpenYet(message);
            case UploadOutcome.AfterFinalDecision:
                _logger.LogWarning("Image {ImageId} submitted to case {CaseId} after its final decision; ignored", message.ImageId, reviewCase.Id);
                return;
            case UploadOutcome.Joined:
                Db.ImageReviews.Add(taken.Added!);
                foreach (var entry in taken.Timeline)
                {
                    Timeline.Record(Db, reviewCase, entry.Kind, "candidate", entry.Detail, now);
                }
                return;
            default:
                return; // held already (announced with ApplicationSubmitted), or gone before a later submission
        }
    }

    private static InvalidOperationException NotOpenYet(MaterialSubmitted message) =>
        new($"The review round {message.SubmissionNumber} of application {message.ApplicationId} is not open yet; retrying.");
}

/// <summary>
/// Continuous mode: an unreviewed image the candidate deleted leaves the case (<see cref="ReviewCase.TakeDeletion"/>), so
/// it does not block approval. Reviewed images cannot be deleted (MaterialStorage refuses), and rows are kept for the audit.
/// </summary>
public sealed class MaterialDeletedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<MaterialDeletedConsumer> logger)
    : InboxConsumer<MaterialDeleted, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(MaterialDeleted message, Guid messageId, CancellationToken cancellationToken)
    {
        if (await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken) is not { } reviewCase)
        {
            return; // never submitted: nothing to withdraw
        }
        var rows = await Db.ImageReviews.Where(i => i.CaseId == reviewCase.Id && i.ImageId == message.ImageId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var entry in reviewCase.TakeDeletion(message.ImageId, message.MissingMaterials, rows, now))
        {
            Timeline.Record(Db, reviewCase, entry.Kind, "candidate", entry.Detail, now);
        }
    }
}
