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

/// <summary>
/// The review's commands to the candidate's application: load it, let the aggregate decide, publish what it
/// decided. A refusal here means the review and the application disagree (a command for an approved
/// application): it is thrown, so the message is retried and then dead-lettered for an operator to see.
/// </summary>
public abstract class ReviewCommandConsumer<TMessage>(MaterialStorageDbContext db, ILogger logger)
    : InboxConsumer<TMessage, MaterialStorageDbContext>(db, logger)
    where TMessage : class
{
    protected abstract Guid ApplicationOf(TMessage message);

    protected abstract Decision Decide(MaterialApplication application, TMessage message);

    protected override async Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken)
    {
        var applicationId = ApplicationOf(message);
        await ApplicationRowLock.WithImagesAsync(Db, applicationId, cancellationToken);
        var application = await Db.Applications.Include(a => a.Images).SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
            ?? throw new InvalidOperationException($"Application {applicationId} does not exist.");
        var locksBefore = application.Locks();
        var decision = Decide(application, message);
        if (decision.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"{typeof(TMessage).Name} refused for application {applicationId}: {refusal.Code} ({refusal.DetailEn})");
        }
        Db.PublishAll(decision.Events);
        if (application.LocksChangedSince(locksBefore) is { } locks)
        {
            Db.Publish(locks);
        }
    }
}

/// <summary>
/// A reviewer reviewed images: they stay locked even if the application is later returned. The images named lock, none
/// other (an empty list from a sender before <see cref="LockMaterials.ImagesNamed"/>: every image).
/// </summary>
public sealed class LockMaterialsConsumer(MaterialStorageDbContext db, ILogger<LockMaterialsConsumer> logger)
    : ReviewCommandConsumer<LockMaterials>(db, logger)
{
    protected override Guid ApplicationOf(LockMaterials message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, LockMaterials message) =>
        application.Lock(message.ImageIds, message.Position, message.Final, message.ImagesNamed);
}

/// <summary>A return: the application opens again with the reviewer's feedback (see <see cref="MaterialApplication.Unlock"/>).</summary>
public sealed class UnlockMaterialsConsumer(MaterialStorageDbContext db, ILogger<UnlockMaterialsConsumer> logger)
    : ReviewCommandConsumer<UnlockMaterials>(db, logger)
{
    protected override Guid ApplicationOf(UnlockMaterials message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, UnlockMaterials message) =>
        application.Unlock(message.ImageIds, message.Feedback, message.Position, message.CaseImageIds, message.WithdrawnImageIds);
}

/// <summary>
/// Approved images show ✓ and stay locked for good. An approval landing on an image whose check already failed (a
/// verdict this service had that the review had not yet) is the same operator's alert as the reverse order, raised once
/// the approval is committed.
/// </summary>
public sealed class ApproveMaterialsConsumer(MaterialStorageDbContext db, MaterialStorageMetrics metrics, ILogger<ApproveMaterialsConsumer> logger)
    : ReviewCommandConsumer<ApproveMaterials>(db, logger)
{
    /// <summary>This attempt's alerts (image, application, candidate, case, infected), raised in <see cref="AfterCommit"/>.</summary>
    private readonly List<(Guid ImageId, Guid ApplicationId, Guid CandidateId, Guid CaseId, bool Infected)> _alerts = [];

    protected override Guid ApplicationOf(ApproveMaterials message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, ApproveMaterials message)
    {
        _alerts.Clear();
        var before = application.Images.Where(i => i.Review == ImageReviewState.Approved).Select(i => i.Id).ToHashSet();
        var decision = application.ApproveImages(message.ImageIds);
        foreach (var image in application.Images.Where(i => !before.Contains(i.Id) && i.Review == ImageReviewState.Approved && i.Validation == ValidationState.Failed))
        {
            _alerts.Add((image.Id, application.Id, application.CandidateId, message.CaseId,
                image.FindingsJson?.Contains(ValidationFindingCodes.MalwareDetected, StringComparison.Ordinal) == true));
        }
        return decision;
    }

    protected override void AfterCommit()
    {
        foreach (var alert in _alerts)
        {
            logger.LogError("Image {ImageId} of application {ApplicationId} (candidate {CandidateId}) was approved (✓) by case {CaseId} although its check failed",
                alert.ImageId, alert.ApplicationId, alert.CandidateId, alert.CaseId);
            metrics.FailedAfterApproval(alert.Infected, "approval-after-verdict");
        }
        _alerts.Clear();
    }
}

/// <summary>
/// The final decision (审核通过): the application is locked for good, with a ✓ on the images the case held. One it never
/// held stays without (see <see cref="MaterialApplication.Approve"/>), and the log says so.
/// </summary>
public sealed class ApplicationApprovedConsumer(MaterialStorageDbContext db, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewCommandConsumer<ApplicationApproved>(db, logger)
{
    protected override Guid ApplicationOf(ApplicationApproved message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, ApplicationApproved message)
    {
        var decision = application.Approve(message.ImageIds);
        foreach (var image in application.Images.Where(i => i.Review != ImageReviewState.Approved))
        {
            logger.LogWarning("Image {ImageId} of application {ApplicationId} was not in case {CaseId} when it was approved: it stays without a ✓",
                image.Id, application.Id, message.CaseId);
        }
        return decision;
    }
}

/// <summary>审核拒绝: the application closes for good and the candidate's page shows the reason.</summary>
public sealed class ApplicationRejectedConsumer(MaterialStorageDbContext db, ILogger<ApplicationRejectedConsumer> logger)
    : ReviewCommandConsumer<ApplicationRejected>(db, logger)
{
    protected override Guid ApplicationOf(ApplicationRejected message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, ApplicationRejected message) => application.Reject(message.Reason);
}

/// <summary>考点通过: the candidate's page reads 考点通过 while the area reviews (see <see cref="MaterialApplication.PassSite"/>).</summary>
public sealed class ApplicationSiteApprovedConsumer(MaterialStorageDbContext db, ILogger<ApplicationSiteApprovedConsumer> logger)
    : ReviewCommandConsumer<ApplicationSiteApproved>(db, logger)
{
    protected override Guid ApplicationOf(ApplicationSiteApproved message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, ApplicationSiteApproved message) => application.PassSite(message.SubmissionNumber, message.Position);
}

/// <summary>
/// A return for a registration-data problem shows its feedback on the upload page; returns about images arrive as
/// <see cref="UnlockMaterials"/> and are not this consumer's.
/// </summary>
public sealed class ApplicationReturnedConsumer(MaterialStorageDbContext db, ILogger<ApplicationReturnedConsumer> logger)
    : ReviewCommandConsumer<ApplicationReturned>(db, logger)
{
    protected override Guid ApplicationOf(ApplicationReturned message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, ApplicationReturned message) =>
        message.RegistrationData ? application.AwaitCorrection(message.Feedback, message.Position) : Decision.Accept();
}

/// <summary>Staff corrected the registration a return was about: the application is in review again.</summary>
public sealed class ReviewResumedConsumer(MaterialStorageDbContext db, ILogger<ReviewResumedConsumer> logger)
    : ReviewCommandConsumer<ReviewResumed>(db, logger)
{
    protected override Guid ApplicationOf(ReviewResumed message) => message.ApplicationId;

    protected override Decision Decide(MaterialApplication application, ReviewResumed message) => application.ResumeAfterCorrection(message.Position);
}
