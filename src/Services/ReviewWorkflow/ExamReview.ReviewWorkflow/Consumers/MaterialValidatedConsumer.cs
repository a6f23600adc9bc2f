using ExamReview.Contracts;
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
/// </summary>
public sealed class MaterialValidatedConsumer(ReviewDbContext db, ILogger<MaterialValidatedConsumer> logger)
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
        if (!known.RecordCheck(message.Passed, infected))
        {
            _logger.LogInformation("Verdict {MessageId} on image {ImageId} ignored: the image was found infected, and a clean verdict never replaces that",
                messageId, message.ImageId);
        }
    }
}
