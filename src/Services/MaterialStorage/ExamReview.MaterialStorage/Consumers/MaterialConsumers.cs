using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Consumers;

/// <summary>Opens the candidate's material application once the registration exists.</summary>
public sealed class CandidateRegisteredConsumer(MaterialStorageDbContext db, OutboxSignal signal, TimeProvider clock, ILogger<CandidateRegisteredConsumer> logger)
    : InboxConsumer<CandidateRegistered, MaterialStorageDbContext>(db, signal, logger)
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

/// <summary>Keeps MaterialStorage's copy of the profile facts; an older version arriving late changes nothing.</summary>
public sealed class CandidateProfileChangedConsumer(MaterialStorageDbContext db, OutboxSignal signal, TimeProvider clock, ILogger<CandidateProfileChangedConsumer> logger)
    : InboxConsumer<CandidateProfileChanged, MaterialStorageDbContext>(db, signal, logger)
{
    protected override async Task HandleAsync(CandidateProfileChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var copy = await Db.Profiles.SingleOrDefaultAsync(p => p.CandidateId == message.CandidateId, cancellationToken);
        if (copy is not null && copy.ProfileVersion >= message.ProfileVersion)
        {
            return;
        }
        var facts = ProfileCopies.Serialize(ProfileCopies.FromMessage(message));
        if (copy is null)
        {
            Db.Profiles.Add(new CandidateProfileCopy
            {
                CandidateId = message.CandidateId,
                FactsJson = facts,
                ProfileVersion = message.ProfileVersion,
                UpdatedAt = clock.GetUtcNow(),
            });
            return;
        }
        copy.FactsJson = facts;
        copy.ProfileVersion = message.ProfileVersion;
        copy.UpdatedAt = clock.GetUtcNow();
    }
}

/// <summary>
/// Records ImageValidation's verdict on an image, and where its watermarked copy is, so the candidate sees problems
/// (and the copy) at once. A verdict on an image deleted or replaced meanwhile takes its copy with it: copies follow
/// their originals.
/// </summary>
public sealed class MaterialValidatedConsumer(MaterialStorageDbContext db, OutboxSignal signal, IObjectStore store, ILogger<MaterialValidatedConsumer> logger)
    : InboxConsumer<MaterialValidated, MaterialStorageDbContext>(db, signal, logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task<bool> PrepareAsync(MaterialValidated message, Guid messageId, CancellationToken cancellationToken)
    {
        if (await Db.Images.AnyAsync(i => i.Id == message.ImageId, cancellationToken))
        {
            return true;
        }
        // Deleted by the candidate before the verdict arrived: the copy written for it belongs to nothing.
        if (message.ReviewerCopyKey is { } copy)
        {
            await store.DeleteAsync(copy, cancellationToken);
        }
        return false;
    }

    protected override async Task HandleAsync(MaterialValidated message, Guid messageId, CancellationToken cancellationToken)
    {
        var image = await Db.Images.SingleOrDefaultAsync(i => i.Id == message.ImageId, cancellationToken)
            ?? throw new InvalidOperationException($"Image {message.ImageId} was deleted while its verdict was recorded; the retry removes its copy.");
        image.Validation = message.Passed ? ValidationState.Passed : ValidationState.Failed;
        image.FindingsJson = JsonSerializer.Serialize(message.Findings, Json);
        image.ReviewerCopyKey = message.ReviewerCopyKey;
    }
}

public abstract class ReviewCommandConsumer<TMessage>(MaterialStorageDbContext db, OutboxSignal signal, ILogger logger)
    : InboxConsumer<TMessage, MaterialStorageDbContext>(db, signal, logger)
    where TMessage : class
{
    protected async Task<MaterialApplication> LoadAsync(Guid applicationId, CancellationToken cancellationToken) =>
        await Db.Applications.Include(a => a.Images).SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
            ?? throw new InvalidOperationException($"Application {applicationId} does not exist.");

    protected static IEnumerable<MaterialImage> Select(MaterialApplication application, IReadOnlyList<Guid> imageIds) =>
        imageIds.Count == 0 ? application.Images : application.Images.Where(i => imageIds.Contains(i.Id));
}

/// <summary>A reviewer reviewed images: they stay locked even if the application is later returned.</summary>
public sealed class LockMaterialsConsumer(MaterialStorageDbContext db, OutboxSignal signal, ILogger<LockMaterialsConsumer> logger)
    : ReviewCommandConsumer<LockMaterials>(db, signal, logger)
{
    protected override async Task HandleAsync(LockMaterials message, Guid messageId, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(message.ApplicationId, cancellationToken);
        var locked = new List<Guid>();
        foreach (var image in Select(application, message.ImageIds).Where(i => i.Review is ImageReviewState.None or ImageReviewState.ReplacementRequested))
        {
            image.Review = ImageReviewState.Locked;
            locked.Add(image.Id);
        }
        application.Touch();
        Db.Publish(new MaterialsLocked(application.Id, application.CandidateId, locked));
    }
}

/// <summary>
/// A return: the application opens again. With named images only those await replacement and every other
/// image that is not approved stays locked (it was reviewed); with no names everything not approved unlocks.
/// </summary>
public sealed class UnlockMaterialsConsumer(MaterialStorageDbContext db, OutboxSignal signal, ILogger<UnlockMaterialsConsumer> logger)
    : ReviewCommandConsumer<UnlockMaterials>(db, signal, logger)
{
    protected override async Task HandleAsync(UnlockMaterials message, Guid messageId, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(message.ApplicationId, cancellationToken);
        if (application.State == ApplicationState.Approved)
        {
            throw new InvalidOperationException($"Application {application.Id} is approved and cannot be unlocked.");
        }
        var unlocked = new List<Guid>();
        foreach (var image in application.Images.Where(i => i.Review != ImageReviewState.Approved))
        {
            if (message.ImageIds.Count == 0)
            {
                image.Review = ImageReviewState.None;
                unlocked.Add(image.Id);
            }
            else if (message.ImageIds.Contains(image.Id))
            {
                image.Review = ImageReviewState.ReplacementRequested;
                unlocked.Add(image.Id);
            }
            else
            {
                image.Review = ImageReviewState.Locked;
            }
        }
        application.State = ApplicationState.Returned;
        application.Feedback = message.Feedback;
        application.Touch();
        Db.Publish(new MaterialsUnlocked(application.Id, application.CandidateId, unlocked));
    }
}

/// <summary>Approved images show ✓ and stay locked for good.</summary>
public sealed class ApproveMaterialsConsumer(MaterialStorageDbContext db, OutboxSignal signal, ILogger<ApproveMaterialsConsumer> logger)
    : ReviewCommandConsumer<ApproveMaterials>(db, signal, logger)
{
    protected override async Task HandleAsync(ApproveMaterials message, Guid messageId, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(message.ApplicationId, cancellationToken);
        var approved = new List<Guid>();
        foreach (var image in Select(application, message.ImageIds))
        {
            image.Review = ImageReviewState.Approved;
            approved.Add(image.Id);
        }
        application.Touch();
        Db.Publish(new MaterialsApproved(application.Id, application.CandidateId, approved));
    }
}

/// <summary>The final decision (审核通过): the application and every image are locked for good.</summary>
public sealed class ApplicationApprovedConsumer(MaterialStorageDbContext db, OutboxSignal signal, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewCommandConsumer<ApplicationApproved>(db, signal, logger)
{
    protected override async Task HandleAsync(ApplicationApproved message, Guid messageId, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(message.ApplicationId, cancellationToken);
        foreach (var image in application.Images)
        {
            image.Review = ImageReviewState.Approved;
        }
        application.State = ApplicationState.Approved;
        application.Touch();
    }
}
