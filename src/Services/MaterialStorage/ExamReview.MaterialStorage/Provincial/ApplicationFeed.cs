using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ExamReview.MaterialStorage.Provincial;

/// <summary>A candidate's material application as the province sees it: its state and submission, not its images.</summary>
public sealed record ProvincialApplication(
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    int ExamYear,
    string AreaCode,
    string SiteCode,
    string State,
    int SubmissionNumber,
    DateTimeOffset? SubmittedAt,
    string? Feedback);

/// <summary>One uploaded material image of an application: what it is and how it stands (never its bytes or object key).</summary>
public sealed record ProvincialMaterial(
    Guid ImageId,
    Guid ApplicationId,
    Guid CandidateId,
    string MaterialType,
    string ContentType,
    long Length,
    string Sha256,
    string Validation,
    string Review,
    DateTimeOffset UploadedAt);

/// <summary>
/// One change of the applications feed: <c>kind</c> application (state per candidate) or material (one image);
/// deleted: true is a tombstone (a material the candidate deleted or replaced), with no state.
/// </summary>
public sealed record ApplicationFeedItem(string Cursor, string Kind, Guid Id, bool Deleted, DateTimeOffset ChangedAt, ProvincialApplication? Application, ProvincialMaterial? Material);

/// <summary>A page of the applications feed: keep <c>nextCursor</c> and send it as <c>cursor</c> next time; <c>hasMore</c>: more is ready now.</summary>
public sealed record ApplicationFeedPage(IReadOnlyList<ApplicationFeedItem> Items, string NextCursor, bool HasMore);

/// <summary>
/// Every save that changes what a province sees of an application or of one of its images writes the feed rows of
/// what changed. A save that changes nothing the province sees writes none: every candidate write bumps the
/// application's version, and an upload wrote an application row identical to the last one (issue 19: about one
/// row in four of MaterialStorage's feed, each an insert into an indexed table, and noise for the provinces' sync).
/// </summary>
public sealed class ApplicationFeedProjection : IFeedProjection
{
    public const string Feed = "applications";
    public const string ApplicationKind = "application";
    public const string MaterialKind = "material";

    /// <summary>The application's columns behind <see cref="ProvincialApplication"/>.</summary>
    private static readonly string[] ApplicationColumns =
    [
        nameof(MaterialApplication.CandidateId), nameof(MaterialApplication.RegistrationNumber), nameof(MaterialApplication.ExamYear),
        nameof(MaterialApplication.AreaCode), nameof(MaterialApplication.SiteCode), nameof(MaterialApplication.State),
        nameof(MaterialApplication.SubmissionNumber), nameof(MaterialApplication.SubmittedAt), nameof(MaterialApplication.Feedback),
    ];

    /// <summary>The image's columns behind <see cref="ProvincialMaterial"/>.</summary>
    private static readonly string[] ImageColumns =
    [
        nameof(MaterialImage.ApplicationId), nameof(MaterialImage.MaterialType), nameof(MaterialImage.ContentType), nameof(MaterialImage.Length),
        nameof(MaterialImage.Sha256), nameof(MaterialImage.Validation), nameof(MaterialImage.Review), nameof(MaterialImage.UploadedAt),
    ];

    public async ValueTask<IReadOnlyList<FeedChange>> ProjectAsync(DbContext db, IReadOnlyList<EntityEntry> changed, CancellationToken cancellationToken)
    {
        var changes = new List<FeedChange>();
        foreach (var entry in changed.Where(e => e.Entity is MaterialApplication))
        {
            var application = (MaterialApplication)entry.Entity;
            // The feedback shown under review also follows the images' replacement requests, so such an application
            // is written whenever it is saved.
            if (Unchanged(entry, ApplicationColumns) && !(application.Feedback is not null && application.InReview))
            {
                continue;
            }
            changes.Add(new FeedChange(Feed, application.AreaCode, ApplicationKind, application.Id,
                entry.State == EntityState.Deleted ? null : Of(application)));
        }
        var images = changed.Where(e => e.Entity is MaterialImage && !Unchanged(e, ImageColumns)).ToList();
        if (images.Count == 0)
        {
            return changes;
        }
        // An image knows only its application: the area and candidate come from it (tracked, or read once).
        var tracked = db.ChangeTracker.Entries<MaterialApplication>().ToDictionary(e => e.Entity.Id, e => (e.Entity.AreaCode, e.Entity.CandidateId));
        var missing = images.Select(e => ((MaterialImage)e.Entity).ApplicationId).Where(id => !tracked.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var read = await db.Set<MaterialApplication>().AsNoTracking().Where(a => missing.Contains(a.Id))
                .Select(a => new { a.Id, a.AreaCode, a.CandidateId }).ToListAsync(cancellationToken);
            foreach (var a in read)
            {
                tracked[a.Id] = (a.AreaCode, a.CandidateId);
            }
        }
        foreach (var entry in images)
        {
            var image = (MaterialImage)entry.Entity;
            if (!tracked.TryGetValue(image.ApplicationId, out var owner))
            {
                continue; // its application is being deleted with it: the application's tombstone says so
            }
            changes.Add(new FeedChange(Feed, owner.AreaCode, MaterialKind, image.Id,
                entry.State == EntityState.Deleted ? null : Of(image, owner.CandidateId)));
        }
        return changes;
    }

    /// <summary>Modified, but in none of the columns the province sees.</summary>
    private static bool Unchanged(EntityEntry entry, string[] visible) =>
        entry.State == EntityState.Modified && !visible.Any(column => entry.Property(column).IsModified);

    private static ProvincialApplication Of(MaterialApplication a) => new(
        a.Id, a.CandidateId, a.RegistrationNumber, a.ExamYear, a.AreaCode, a.SiteCode, a.State.ToString(), a.SubmissionNumber, FeedTimes.Millis(a.SubmittedAt), a.FeedbackToShow);

    private static ProvincialMaterial Of(MaterialImage i, Guid candidateId) => new(
        i.Id, i.ApplicationId, candidateId, i.MaterialType, i.ContentType, i.Length, i.Sha256, i.Validation.ToString(), i.Review.ToString(), FeedTimes.Millis(i.UploadedAt));
}
