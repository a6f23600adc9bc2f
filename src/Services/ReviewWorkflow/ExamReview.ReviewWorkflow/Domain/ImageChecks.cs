namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>ImageValidation's verdict on an image as ReviewWorkflow knows it (from MaterialValidated).</summary>
public enum ImageCheck
{
    /// <summary>No verdict yet (待检测): the check is still running, or its message is on its way.</summary>
    Pending = 0,
    Passed = 1,

    /// <summary>The check failed (unreadable, not a document, infected …): only a replacement can follow.</summary>
    Failed = 2,

    /// <summary>
    /// Known before ReviewWorkflow kept verdicts (rows the migration found): its verdict went to MaterialStorage only and
    /// will not come here, so it is decided as before rather than blocking its case for good.
    /// </summary>
    NotTracked = 3,
}

/// <summary>
/// The check outcome of each image a decision is about, loaded by the handler (from <see cref="KnownImage"/>) and given
/// to the case as data: the case decides whether an image may get its ✓. An image with no verdict known is pending.
/// </summary>
public sealed class ImageChecks(IReadOnlyDictionary<Guid, ImageCheck> known)
{
    public static readonly ImageChecks None = new(new Dictionary<Guid, ImageCheck>());

    public ImageCheck Of(Guid imageId) => known.TryGetValue(imageId, out var check) ? check : ImageCheck.Pending;

    /// <summary>
    /// Why <paramref name="imageIds"/> cannot get a ✓ (or pass with the application), or null when every one of them passed
    /// its check. A failed check is named first: waiting would not help it.
    /// </summary>
    public CaseRefusal? RefuseUnpassed(IEnumerable<Guid> imageIds)
    {
        var ids = imageIds.ToList();
        var failed = ids.Where(id => Of(id) == ImageCheck.Failed).ToList();
        var pending = ids.Where(id => Of(id) == ImageCheck.Pending).ToList();
        return failed.Count > 0 ? CaseRefusals.ImageCheckFailed(failed, pending)
            : pending.Count > 0 ? CaseRefusals.ImageCheckPending(pending)
            : null;
    }

    /// <summary>
    /// Whether <paramref name="image"/>'s ✓ may be withdrawn by asking for its replacement: only when its check failed
    /// after the ✓ was given (malware found by newer signatures, or a ✓ from before the rule). Its case cannot be
    /// approved past it (<see cref="RefuseUnpassed"/>), so without this the case would be stuck. Every other ✓ is final.
    /// </summary>
    public bool FailedAfterApproval(ImageReview image) => image.Decision == ImageDecision.Approved && Of(image.ImageId) == ImageCheck.Failed;
}

public sealed partial class ReviewCase
{
    /// <summary>
    /// A verdict failed an image of the candidate while the case awaits a decision: the case's version moves, committed
    /// with the verdict. The checks a decision gives ✓ by are read outside the case's version token, so without this an
    /// approval that read "passed" just before the verdict committed would commit its ✓ just after. With it, that
    /// approval's version check fails (409 concurrent_change; a bulk approval reports the case so), and a retry reads the
    /// failed check and is refused (image_check_failed). A verdict and an approval committing at the same time are
    /// ordered by the case's row: on PostgreSQL the later UPDATE of it waits and then finds the version moved (the
    /// consumer is retried by the bus, after the approval); on SQLite one writer at a time does the same. Simpler than
    /// re-reading the checks under a lock in every approval's transaction (five paths, provider-specific locking).
    /// </summary>
    /// <remarks>
    /// The move is written on the timeline (<see cref="CaseEventKinds.ImageCheckFailed"/>): a reviewer whose decision
    /// then conflicts finds why in the case's history, and whether the image is one the case holds (with its ✓ or not)
    /// or one the candidate has just uploaded.
    /// </remarks>
    /// <returns>The timeline entry to record, or null when the case awaits no decision (returned or decided): nothing can give a ✓ then.</returns>
    public TimelineEntry? TakeFailedCheck(Guid imageId, bool infected, IReadOnlyList<ImageReview> images, DateTimeOffset now)
    {
        if (ReviewableAt is null)
        {
            return null;
        }
        Touch(now);
        var row = images.Where(i => i.ImageId == imageId).OrderByDescending(i => i.Current).FirstOrDefault();
        var standing = row switch
        {
            null or { Current: false } => ImageStanding.NotInCase,
            { Decision: ImageDecision.Approved } => ImageStanding.Approved,
            _ => ImageStanding.InCase,
        };
        return new TimelineEntry(CaseEventKinds.ImageCheckFailed, TimelineText.CheckFailed(imageId, infected, standing));
    }
}
