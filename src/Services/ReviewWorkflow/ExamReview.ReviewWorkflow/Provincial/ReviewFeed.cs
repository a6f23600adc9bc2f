using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ExamReview.ReviewWorkflow.Provincial;

/// <summary>A review case's result as its province sees it (state, feedback, decisions' times), without the reviewers' working state.</summary>
public sealed record ProvincialReview(
    Guid CaseId,
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    string AreaCode,
    string SiteCode,
    string State,
    string StateLabel,
    int SubmissionNumber,
    int ReturnCount,
    string? Feedback,
    DateTimeOffset? RespondBy,
    bool AwaitingCorrection,
    DateTimeOffset? SiteApprovedAt,
    DateTimeOffset? DecidedAt)
{
    public static ProvincialReview Of(ReviewCase c) => new(
        c.Id, c.ApplicationId, c.CandidateId, c.RegistrationNumber, c.AreaCode, c.SiteCode, c.State.ToString(), CaseRefusals.Label(c.State),
        c.SubmissionNumber, c.ReturnCount, c.Feedback, FeedTimes.Millis(c.RespondBy), c.AwaitingCorrection, FeedTimes.Millis(c.SiteApprovedAt), FeedTimes.Millis(c.DecidedAt));
}

/// <summary>One change of the reviews feed: the case's result as committed, or a tombstone (deleted: true, review null).</summary>
public sealed record ReviewFeedItem(string Cursor, Guid CaseId, bool Deleted, DateTimeOffset ChangedAt, ProvincialReview? Review);

/// <summary>A page of the reviews feed: keep <c>nextCursor</c> and send it as <c>cursor</c> next time; <c>hasMore</c>: more is ready now.</summary>
public sealed record ReviewFeedPage(IReadOnlyList<ReviewFeedItem> Items, string NextCursor, bool HasMore);

/// <summary>
/// A case enters the feed when its result changes (opened, state, feedback, deadlines, decisions), not on the
/// reviewers' claims and reminders, which say nothing about the result.
/// </summary>
public sealed class ReviewFeedProjection : IFeedProjection
{
    public const string Feed = "reviews";
    public const string Kind = "review";

    private static readonly string[] ResultProperties =
    [
        nameof(ReviewCase.State), nameof(ReviewCase.Feedback), nameof(ReviewCase.SubmissionNumber), nameof(ReviewCase.ReturnCount),
        nameof(ReviewCase.RespondBy), nameof(ReviewCase.AwaitingCorrection), nameof(ReviewCase.SiteApprovedAt), nameof(ReviewCase.DecidedAt),
    ];

    public async ValueTask<IReadOnlyList<FeedChange>> ProjectAsync(DbContext db, IReadOnlyList<EntityEntry> changed, CancellationToken cancellationToken)
    {
        var changes = new List<FeedChange>();
        foreach (var entry in changed.Where(e => e.Entity is ReviewCase)
                     .Where(e => e.State != EntityState.Modified || ResultProperties.Any(p => e.Property(p).IsModified)))
        {
            var reviewCase = (ReviewCase)entry.Entity;
            var review = entry.State == EntityState.Deleted
                ? null
                : HeldResultMask.Apply(ProvincialReview.Of(reviewCase), await HeldResultMask.FindAsync(db, reviewCase.Id, cancellationToken));
            changes.Add(new FeedChange(Feed, reviewCase.AreaCode, Kind, reviewCase.Id, review));
        }
        // A round published: the case's real result enters the feed now (the case itself did not change).
        foreach (var entry in changed.Where(e => e.Entity is HeldResult { PublishedAt: not null } && e.State == EntityState.Modified
                     && e.Property(nameof(HeldResult.PublishedAt)).IsModified))
        {
            var held = (HeldResult)entry.Entity;
            if (changes.Any(c => c.ItemId == held.CaseId)
                || await db.Set<ReviewCase>().FindAsync([held.CaseId], cancellationToken) is not { } reviewCase)
            {
                continue;
            }
            changes.Add(new FeedChange(Feed, reviewCase.AreaCode, Kind, reviewCase.Id, ProvincialReview.Of(reviewCase)));
        }
        return changes;
    }
}
