using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Background;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Keeps ImageValidation's verdict on each image (<see cref="KnownImage.Check"/>), so a decision that gives an image its ✓
/// can refuse one whose check is still running or failed: at the peak the validation backlog can be minutes, and a ✓
/// is for good. Infected wins as it does in MaterialStorage (<see cref="KnownImage.RecordCheck"/>). Verdicts and uploads
/// travel separately, so a verdict may arrive before the image's MaterialUploaded: it is kept for the image now, as a
/// lock snapshot is (<see cref="MaterialLocksChangedConsumer"/>), and the upload fills in the material type after it.
/// A verdict that fails an image moves the version of the candidate's case awaiting a decision, in the same transaction
/// (<see cref="ReviewCase.TakeFailedCheck"/>): an approval that read the checks before it commits fails its version check,
/// and the case's timeline says why.
/// </summary>
public sealed class MaterialValidatedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<MaterialValidatedConsumer> logger)
    : InboxConsumer<MaterialValidated, ReviewDbContext>(db, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(MaterialValidated message, Guid messageId, CancellationToken cancellationToken)
    {
        var infected = message.Findings.Any(f => string.Equals(f.Code, ValidationFindingCodes.MalwareDetected, StringComparison.Ordinal));
        var known = await Db.KnownImages.SingleOrDefaultAsync(i => i.ImageId == message.ImageId, cancellationToken);
        if (known is null)
        {
            known = new KnownImage { ImageId = message.ImageId, CandidateId = message.CandidateId, MaterialType = KnownImage.NotYetKnown };
            Db.KnownImages.Add(known);
        }
        var before = known.Check;
        if (!known.RecordCheck(message.Passed, infected))
        {
            _logger.LogInformation("Verdict {MessageId} on image {ImageId} ignored: the image was found infected, and a clean verdict never replaces that",
                messageId, message.ImageId);
            return;
        }
        if (known.Check == ImageCheck.Failed && before != ImageCheck.Failed)
        {
            // The candidate's one case (one application each), while it awaits a decision: the image is in it, or may
            // join it at any moment (continuous mode). Found by the CandidateId index; failing verdicts are the few.
            var awaiting = await Db.Cases
                .Where(c => c.CandidateId == message.CandidateId && (c.State == CaseState.SiteReview || c.State == CaseState.AreaReview))
                .ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var caseIds = awaiting.Select(c => c.Id).ToList();
            var rows = caseIds.Count == 0 ? []
                : await Db.ImageReviews.Where(i => caseIds.Contains(i.CaseId) && i.ImageId == message.ImageId).ToListAsync(cancellationToken);
            foreach (var reviewCase in awaiting)
            {
                if (reviewCase.TakeFailedCheck(message.ImageId, known.Infected, rows.Where(r => r.CaseId == reviewCase.Id).ToList(), now) is { } entry)
                {
                    Timeline.Record(Db, reviewCase, entry.Kind, DeadlineScanner.SystemActor, entry.Detail, now);
                }
            }
        }
    }
}
