using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.MaterialStorage.Operations;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Consumers;

/// <summary>Opens the candidate's material application once the registration exists.</summary>
public sealed class CandidateRegisteredConsumer(MaterialStorageDbContext db, TimeProvider clock, ILogger<CandidateRegisteredConsumer> logger)
    : InboxConsumer<CandidateRegistered, MaterialStorageDbContext>(db, logger)
{
    protected override async Task HandleAsync(CandidateRegistered message, Guid messageId, CancellationToken cancellationToken)
    {
        if (await Db.Applications.AnyAsync(a => a.CandidateId == message.CandidateId, cancellationToken))
        {
            return;
        }
        Db.Applications.Add(new MaterialApplication
        {
            Id = Guid.CreateVersion7(),
            CandidateId = message.CandidateId,
            RegistrationNumber = message.RegistrationNumber,
            ExamYear = message.ExamYear,
            AreaCode = message.AreaCode,
            SiteCode = message.SiteCode,
            CreatedAt = clock.GetUtcNow(),
        });
    }
}

/// <summary>
/// Keeps MaterialStorage's copy of the profile facts; an older version arriving late changes nothing. One upsert
/// statement decides, not a read followed by an insert: two changes for one candidate consumed at the same time
/// (two consumers, two replicas) would both read "no copy yet" and the second insert would collide on the key.
/// PostgreSQL and SQLite share the <c>ON CONFLICT … DO UPDATE … WHERE</c> syntax.
/// </summary>
public sealed class CandidateProfileChangedConsumer(MaterialStorageDbContext db, TimeProvider clock, ILogger<CandidateProfileChangedConsumer> logger)
    : InboxConsumer<CandidateProfileChanged, MaterialStorageDbContext>(db, logger)
{
    protected override async Task HandleAsync(CandidateProfileChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var facts = ProfileCopies.Serialize(ProfileCopies.FromMessage(message));
        var now = Db.ForColumn<CandidateProfileCopy>(nameof(CandidateProfileCopy.UpdatedAt), clock.GetUtcNow());
        await Db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "CandidateProfiles" ("CandidateId", "FactsJson", "ProfileVersion", "UpdatedAt")
            VALUES ({message.CandidateId}, {facts}, {message.ProfileVersion}, {now})
            ON CONFLICT ("CandidateId") DO UPDATE
            SET "FactsJson" = excluded."FactsJson", "ProfileVersion" = excluded."ProfileVersion", "UpdatedAt" = excluded."UpdatedAt"
            WHERE "CandidateProfiles"."ProfileVersion" < excluded."ProfileVersion"
            """, cancellationToken);
    }
}

/// <summary>
/// Records ImageValidation's verdict on an image, and where its watermarked copy is, so the candidate sees problems
/// (and the copy) at once. A verdict on an image deleted or replaced meanwhile takes its copy with it: copies follow
/// their originals. Whether a verdict replaces the one recorded is the image's rule (<see cref="MaterialImage.RecordVerdict"/>:
/// infected wins); a clean verdict it refuses names a copy that must not be kept either. A failing verdict on an image
/// already approved (✓) is recorded like any other, and is an operator's alert: an error log with the ids and
/// <see cref="MaterialStorageMetrics"/>, once the verdict is committed (a retried delivery whose first commit failed
/// raises it once). ReviewWorkflow refuses a ✓ before a passing verdict, so this is a verdict that changed after it
/// (malware signatures updated) or an approval from before that rule.
/// </summary>
public sealed class MaterialValidatedConsumer(MaterialStorageDbContext db, IObjectStore store, MaterialStorageMetrics metrics,
    ILogger<MaterialValidatedConsumer> logger)
    : InboxConsumer<MaterialValidated, MaterialStorageDbContext>(db, logger)
{
    /// <summary>The alert this attempt found, raised in <see cref="AfterCommit"/> (an attempt that fails to commit raises none).</summary>
    private FailedAfterApprovalAlert? _alert;

    protected override async Task HandleAsync(MaterialValidated message, Guid messageId, CancellationToken cancellationToken)
    {
        _alert = null;
        // Behind a review command changing this image (see ApplicationRowLock for why a verdict waits for one).
        await ApplicationRowLock.ImageAsync(Db, message.ImageId, cancellationToken);
        // The image and its application in one round trip: the change feed's row names the application's area, and
        // finds it tracked here instead of reading it again (a verdict took seven round trips, then four, five with the lock; issue 19).
        var application = await Db.Applications
            .Where(a => a.Images.Any(i => i.Id == message.ImageId))
            .Include(a => a.Images.Where(i => i.Id == message.ImageId))
            .SingleOrDefaultAsync(cancellationToken);
        if (application?.Images.SingleOrDefault() is not { } image)
        {
            // Deleted by the candidate before the verdict arrived: the copy written for it belongs to nothing. A rare
            // case, so the object store is called inside the transaction rather than in a preparation step that every
            // verdict would pay for with two more round trips.
            await DeleteCopyAsync(message, cancellationToken);
            return;
        }
        var approved = image.Review == ImageReviewState.Approved;
        if (image.RecordVerdict(message.Passed, message.Findings, message.ReviewerCopyKey))
        {
            if (approved && image.Validation == ValidationState.Failed)
            {
                _alert = new FailedAfterApprovalAlert(image.Id, application.Id, application.CandidateId,
                    message.Findings.Any(f => f.Code == ValidationFindingCodes.MalwareDetected), string.Join(",", message.Findings.Select(f => f.Code)), messageId);
            }
        }
        else
        {
            // A clean judgement made before the scanner learnt the signature, or overtaken by the infected one. The
            // copy it names was deleted by the infected judgement, unless this one came later (signatures withdrawn)
            // and wrote it again; either way no reviewer may see it, and deleting an absent object is harmless.
            _logger.LogInformation(
                "Verdict {MessageId} on image {ImageId} refused: the image was found infected, and a clean verdict never replaces that",
                messageId, message.ImageId);
            await DeleteCopyAsync(message, cancellationToken);
        }
    }

    protected override void AfterCommit()
    {
        if (_alert is { } alert)
        {
            _logger.LogError(
                "Image {ImageId} of application {ApplicationId} (candidate {CandidateId}) is approved (✓) but its check failed{Infected}: findings {Findings}; verdict {MessageId}",
                alert.ImageId, alert.ApplicationId, alert.CandidateId, alert.Infected ? " with malware" : "", alert.Findings, alert.MessageId);
            metrics.FailedAfterApproval(alert.Infected, "verdict-after-approval");
        }
    }

    private sealed record FailedAfterApprovalAlert(Guid ImageId, Guid ApplicationId, Guid CandidateId, bool Infected, string Findings, Guid MessageId);

    private async Task DeleteCopyAsync(MaterialValidated message, CancellationToken cancellationToken)
    {
        if (message.ReviewerCopyKey is { } copy)
        {
            await store.DeleteAsync(copy, cancellationToken);
        }
    }

    private readonly ILogger _logger = logger;
}
