using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Provincial;

/// <summary>
/// Provincial systems receive results when they are published, not before (issue 18): while a case's result is held
/// for its round, the province sees the case as still under review at the level that decided it — the state, the
/// decision times and a rejection's reason are those of before the decision. Publishing the round puts the case into
/// the feed again with its real result.
/// </summary>
public static class HeldResultMask
{
    public static ProvincialReview Apply(ProvincialReview review, HeldResult? held)
    {
        if (held is null)
        {
            return review;
        }
        var before = held.Level == RoundLevels.Site ? CaseState.SiteReview : CaseState.AreaReview;
        return review with
        {
            State = before.ToString(),
            StateLabel = CaseRefusals.Label(before),
            SiteApprovedAt = held.Level == RoundLevels.Site ? null : review.SiteApprovedAt,
            DecidedAt = null,
            Feedback = held.Result == ResultKinds.Rejected ? null : review.Feedback,
        };
    }

    /// <summary>The case's unpublished, not withdrawn result: one being added in this save, or one already stored.</summary>
    public static async Task<HeldResult?> FindAsync(DbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var pending = db.ChangeTracker.Entries<HeldResult>()
            .Select(e => e.Entity)
            .Where(h => h.CaseId == caseId)
            .OrderByDescending(h => h.DecidedAt)
            .FirstOrDefault();
        if (pending is not null)
        {
            return pending.PublishedAt is null && pending.WithdrawnAt is null ? pending : null;
        }
        return await db.Set<HeldResult>().AsNoTracking()
            .Where(h => h.CaseId == caseId && h.PublishedAt == null && h.WithdrawnAt == null)
            .OrderByDescending(h => h.DecidedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
