using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

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
