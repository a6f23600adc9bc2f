using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>
/// One page of a feed: rows in feed order, the cursor to continue from, and whether more rows were ready.
/// <see cref="CursorAhead"/>: the position read after lies beyond the feed's last row, so no page gave it (see
/// <see cref="FeedPositionRule.ReadAsync"/>); the page is empty and must not be served.
/// </summary>
public sealed record FeedRows(IReadOnlyList<FeedEntry> Rows, FeedPosition Next, bool HasMore, bool CursorAhead = false);

/// <summary>
/// Which feed rows may be served, and in which order, so that a client that keeps its cursor never misses or repeats
/// a change — across restarts and concurrent writers.
/// <para>
/// The trap: an identity column is assigned at insert, but transactions commit in any order. A client that read
/// position 105 would never see 104 if 104's transaction committed later.
/// </para>
/// <para>
/// PostgreSQL: rows are ordered by (transaction id, position), and a read serves only rows whose transaction id lies
/// below the <c>xmin</c> of the reading statement's own snapshot (<c>pg_snapshot_xmin(pg_current_snapshot())</c>):
/// every transaction below it has finished, so every row it committed is visible to that statement and none can appear
/// later. A row not yet served therefore always sorts after the cursor: either its transaction is ≥ the xmin the cursor
/// was read under (hence above the cursor's), or it is in a transaction already wholly served. Transaction ids are
/// 64-bit (xid8) and never reused, so a cursor survives restarts. A transaction left open delays the feed (never
/// breaks it) until it ends.
/// </para>
/// <para>
/// SQLite (the embedded run): one writer at a time holds the database's write lock from its first insert to its
/// commit, so AUTOINCREMENT positions are handed out in commit order; the transaction column is 0 and the position
/// alone orders the feed.
/// </para>
/// </summary>
public static class FeedPositionRule
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public static async Task<FeedRows> ReadAsync(ServiceDbContext db, string feed, string area, FeedPosition after, int limit, CancellationToken cancellationToken)
    {
        var rows = await Finished(db)
            .Where(e => e.Feed == feed && e.Area == area)
            .Where(e => e.Transaction > after.Transaction || (e.Transaction == after.Transaction && e.Position > after.Position))
            .OrderBy(e => e.Transaction).ThenBy(e => e.Position)
            .Take(limit + 1)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        if (rows.Count == 0 && after != FeedPosition.Start && !await ReachesAsync(db, feed, area, after, cancellationToken))
        {
            return new FeedRows(rows, after, false, CursorAhead: true);
        }
        var next = rows.Count == 0 ? after : new FeedPosition(rows[^1].Transaction, rows[^1].Position);
        return new FeedRows(rows, next, hasMore);
    }

    /// <summary>
    /// Whether the feed's last row lies at or after <paramref name="after"/>. Every cursor a page hands out is the start
    /// or the position of a row of this feed and area that was served (an empty page hands back the cursor it was given),
    /// and rows are never deleted, so a legitimate cursor never lies beyond the last row — the last one itself included.
    /// Only a page that came back empty can have been asked with a cursor beyond the end, so only such a page asks, and
    /// it asks for the last row alone, backwards along the feed's (Feed, Area, Transaction, Position) index: one probe,
    /// however long the feed (a range filter on the pair would scan from the area's first row on every idle poll). All
    /// rows count, not only those served yet: a cursor is refused only when no row the reader can see reaches it.
    /// </summary>
    private static async Task<bool> ReachesAsync(ServiceDbContext db, string feed, string area, FeedPosition after, CancellationToken cancellationToken)
    {
        var last = await db.Set<FeedEntry>()
            .Where(e => e.Feed == feed && e.Area == area)
            .OrderByDescending(e => e.Transaction).ThenByDescending(e => e.Position)
            .Select(e => new { e.Transaction, e.Position })
            .FirstOrDefaultAsync(cancellationToken);
        return last is not null && new FeedPosition(last.Transaction, last.Position) >= after;
    }

    /// <summary>The rows no running transaction can still add to below them (see the class remarks).</summary>
    private static IQueryable<FeedEntry> Finished(ServiceDbContext db) => db.IsSqlite
        ? db.Set<FeedEntry>()
        : db.Set<FeedEntry>().FromSqlRaw(
            """SELECT * FROM "ProvincialFeed" WHERE "Transaction" < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint""");
}
