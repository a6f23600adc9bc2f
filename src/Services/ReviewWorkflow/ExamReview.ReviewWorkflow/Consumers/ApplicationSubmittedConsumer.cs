using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Opens a review case for a first submission; a resubmission after a return puts the case back in site
/// review, with each replacement image flagged beside the decision and reason that asked for it (<see cref="ReviewCase.TakeResubmission"/>).
/// </summary>
public sealed class ApplicationSubmittedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<ApplicationSubmitted, ReviewDbContext>(db, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ApplicationSubmitted message, Guid messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await LearnChecksAsync(message, cancellationToken);
        var materialTypes = await Db.KnownImages.Where(i => message.ImageIds.Contains(i.ImageId) && i.MaterialType != KnownImage.NotYetKnown)
            .ToDictionaryAsync(i => i.ImageId, i => i.MaterialType, cancellationToken);
        var reviewCase = await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken);
        if (reviewCase is null)
        {
            var category = await Db.CandidateProfiles.Where(p => p.CandidateId == message.CandidateId).Select(p => p.ExamCategory)
                .SingleOrDefaultAsync(cancellationToken);
            reviewCase = new ReviewCase
            {
                Id = Guid.CreateVersion7(),
                ApplicationId = message.ApplicationId,
                CandidateId = message.CandidateId,
                RegistrationNumber = message.RegistrationNumber,
                AreaCode = message.AreaCode,
                SiteCode = message.SiteCode,
                ExamCategory = category,
                State = CaseState.SiteReview,
                SubmissionNumber = message.SubmissionNumber,
                ImageIdsJson = CaseImageIds.ToJson(message.ImageIds),
                SubmittedAt = message.SubmittedAt,
                OpenedAt = message.SubmittedAt,
                UpdatedAt = now,
            };
            reviewCase.ReportMissing(message.MissingMaterials);
            Db.Cases.Add(reviewCase);
            Db.ImageReviews.AddRange(message.ImageIds.Select(id => new ImageReview
            {
                Id = Guid.CreateVersion7(),
                CaseId = reviewCase.Id,
                ImageId = id,
                MaterialType = materialTypes.GetValueOrDefault(id),
                SubmissionNumber = message.SubmissionNumber,
            }));
            Timeline.Record(Db, reviewCase, CaseEventKinds.Submitted, "candidate", TimelineText.Submitted(message.SubmissionNumber, message.ImageIds.Count), now);
            return;
        }
        var existing = await Db.ImageReviews.Where(i => i.CaseId == reviewCase.Id).ToListAsync(cancellationToken);
        var taken = reviewCase.TakeResubmission(message, existing, materialTypes.GetValueOrDefault, now);
        if (taken.Outcome == ResubmissionOutcome.AlreadyKnown)
        {
            _logger.LogInformation("Submission {Number} of case {CaseId} already known", message.SubmissionNumber, reviewCase.Id);
            return;
        }
        if (taken.Outcome == ResubmissionOutcome.NotReturned)
        {
            throw new InvalidOperationException($"Case {reviewCase.Id} in state {reviewCase.State} cannot take a resubmission.");
        }
        Db.ImageReviews.AddRange(taken.Added);
        foreach (var entry in taken.Timeline)
        {
            Timeline.Record(Db, reviewCase, entry.Kind, "candidate", entry.Detail, now);
        }
    }

    /// <summary>The verdicts the submission carries, for images whose verdict never reached this service (see the message).</summary>
    private async Task LearnChecksAsync(ApplicationSubmitted message, CancellationToken cancellationToken)
    {
        if (message.Checks is not { Count: > 0 } checks)
        {
            return;
        }
        var ids = checks.Select(c => c.ImageId).ToList();
        var known = await Db.KnownImages.Where(k => ids.Contains(k.ImageId)).ToDictionaryAsync(k => k.ImageId, cancellationToken);
        foreach (var check in checks)
        {
            if (!known.TryGetValue(check.ImageId, out var image))
            {
                image = new KnownImage { ImageId = check.ImageId, CandidateId = message.CandidateId, MaterialType = KnownImage.NotYetKnown };
                Db.KnownImages.Add(image);
            }
            image.LearnCheckAtSubmission(check.Passed, check.Infected);
        }
    }
}

/// <summary>Remembers a candidate's exam category so queues can be filtered by it (and back-fills a case opened before it arrived).</summary>
public sealed class CandidateRegisteredConsumer(ReviewDbContext db, ILogger<CandidateRegisteredConsumer> logger)
    : InboxConsumer<CandidateRegistered, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(CandidateRegistered message, Guid messageId, CancellationToken cancellationToken)
    {
        var profile = await Db.CandidateProfiles.SingleOrDefaultAsync(p => p.CandidateId == message.CandidateId, cancellationToken);
        if (profile is null)
        {
            profile = new CandidateProfile { CandidateId = message.CandidateId, ExamCategory = message.ExamCategory };
            Db.CandidateProfiles.Add(profile);
        }
        else
        {
            // A registration is handed over at version 0: a correction already applied is later and keeps its category.
            profile.TakeCategory(message.ExamCategory, 0);
        }
        var category = profile.ExamCategory;
        await Db.Cases.Where(c => c.CandidateId == message.CandidateId && c.ExamCategory == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExamCategory, category), cancellationToken);
    }
}

/// <summary>Remembers each uploaded image's material type, so a replacement is matched to the image it replaces.</summary>
public sealed class MaterialUploadedConsumer(ReviewDbContext db, ILogger<MaterialUploadedConsumer> logger)
    : InboxConsumer<MaterialUploaded, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(MaterialUploaded message, Guid messageId, CancellationToken cancellationToken)
    {
        var known = await Db.KnownImages.SingleOrDefaultAsync(i => i.ImageId == message.ImageId, cancellationToken);
        if (known is null)
        {
            Db.KnownImages.Add(new KnownImage
            {
                ImageId = message.ImageId, CandidateId = message.CandidateId, MaterialType = message.MaterialType, MaterialName = message.MaterialName,
                LockState = "Open", LockLabel = "可修改", // a fresh upload is open until MaterialStorage says otherwise
            });
        }
        else if (known.MaterialType == KnownImage.NotYetKnown)
        {
            // A lock snapshot naming the image arrived first and left its lock (MaterialLocksChangedConsumer): it is newer.
            // A verdict arriving first (MaterialValidatedConsumer) left its check and no lock: the upload's open lock applies.
            known.MaterialType = message.MaterialType;
            known.MaterialName = message.MaterialName;
            if (known.LockState is null)
            {
                (known.LockState, known.LockLabel) = ("Open", "可修改");
            }
        }
    }
}

/// <summary>
/// Keeps each image's lock as MaterialStorage decided it, so the reviewer's view reads the same as the candidate's;
/// an older snapshot arriving late changes nothing. Snapshots come only when a lock moved (not for an upload of an
/// open image), so one may name an image whose MaterialUploaded is still on its way: the lock is kept for it now, and
/// the upload fills in its material type without touching the newer lock.
/// </summary>
public sealed class MaterialLocksChangedConsumer(ReviewDbContext db, ILogger<MaterialLocksChangedConsumer> logger)
    : InboxConsumer<MaterialLocksChanged, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(MaterialLocksChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var ids = message.Images.Select(i => i.ImageId).ToList();
        var known = await Db.KnownImages.Where(k => ids.Contains(k.ImageId)).ToDictionaryAsync(k => k.ImageId, cancellationToken);
        foreach (var snapshot in message.Images)
        {
            if (!known.TryGetValue(snapshot.ImageId, out var image))
            {
                Db.KnownImages.Add(new KnownImage
                {
                    ImageId = snapshot.ImageId, CandidateId = message.CandidateId, MaterialType = KnownImage.NotYetKnown,
                    LockState = snapshot.State, LockLabel = snapshot.Label, LockVersion = message.Version,
                });
            }
            else if (image.LockVersion < message.Version)
            {
                image.LockState = snapshot.State;
                image.LockLabel = snapshot.Label;
                image.LockVersion = message.Version;
            }
        }
    }
}
