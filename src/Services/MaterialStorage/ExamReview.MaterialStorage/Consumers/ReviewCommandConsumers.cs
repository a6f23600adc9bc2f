using ExamReview.Contracts;
using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.MaterialStorage.Operations;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Consumers;

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

    /// <summary>Loads what <see cref="Decide"/> needs beyond the application (nothing, for most commands), after the application.</summary>
    protected virtual Task PrepareAsync(MaterialApplication application, TMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken)
    {
        var applicationId = ApplicationOf(message);
        await ApplicationRowLock.WithImagesAsync(Db, applicationId, cancellationToken);
        var application = await Db.Applications.Include(a => a.Images).SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
            ?? throw new InvalidOperationException($"Application {applicationId} does not exist.");
        var locksBefore = application.Locks();
        await PrepareAsync(application, message, cancellationToken);
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

/// <summary>
/// A return: the application opens again with the reviewer's feedback (see <see cref="MaterialApplication.Unlock"/>). It may
/// open the next round (a return answered in transit), which is measured against the catalog and profile a candidate's
/// write would be (<see cref="ApplicationContext.AroundAsync"/>, loaded behind the row lock); and it tells the candidate of the return
/// (<see cref="ReturnReachedCandidate"/>) when the sender asked for that (<see cref="UnlockMaterials.RespondBy"/>).
/// </summary>
public sealed class UnlockMaterialsConsumer(MaterialStorageDbContext db, CatalogStore catalogs, ILogger<UnlockMaterialsConsumer> logger)
    : ReviewCommandConsumer<UnlockMaterials>(db, logger)
{
    protected override Guid ApplicationOf(UnlockMaterials message) => message.ApplicationId;

    private RoundFacts? _facts;

    protected override async Task PrepareAsync(MaterialApplication application, UnlockMaterials message, CancellationToken cancellationToken) =>
        _facts = (await ApplicationContext.AroundAsync(Db, catalogs, application, cancellationToken)).RoundFacts();

    protected override Decision Decide(MaterialApplication application, UnlockMaterials message) =>
        application.Unlock(message.ImageIds, message.Feedback, message.Position, message.CaseImageIds, message.WithdrawnImageIds,
            _facts, message.RespondBy is { } due ? new ReturnNotice(message.CaseId, due) : null);
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
