using System.Text.Json;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>Reads one page of a feed for the caller's area and turns its rows into the service's item records.</summary>
public static class FeedQuery
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The page after <paramref name="cursor"/> (null: from the start), or the 400 for a cursor or limit that is not valid.</summary>
    /// <remarks>
    /// A page carries its items, <c>nextCursor</c> — kept by the client and sent as <c>cursor</c> next time: the feed
    /// continues right after the last item, also when the page was empty — and <c>hasMore</c> (more changes are ready now).
    /// Each service names its own page record, so its document shows its own example.
    /// </remarks>
    public static async Task<Results<Ok<TPage>, ProblemHttpResult>> PageAsync<TItem, TPage>(
        ServiceDbContext db, string feed, string area, string? cursor, int? limit,
        Func<FeedEntry, string, TItem> toItem, Func<IReadOnlyList<TItem>, string, bool, TPage> toPage, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > FeedPositionRule.MaxPageSize)
        {
            return Problems.Problems.Invalid("limit", $"应为 1 至 {FeedPositionRule.MaxPageSize}。", $"must be 1 to {FeedPositionRule.MaxPageSize}");
        }
        var after = FeedPosition.Start;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (FeedCursor.Decode(cursor, feed, area) is not { } decoded)
            {
                return IdempotencyProblems.InvalidCursor();
            }
            after = decoded;
        }
        var page = await FeedPositionRule.ReadAsync(db, feed, area, after, limit ?? FeedPositionRule.DefaultPageSize, cancellationToken);
        if (page.CursorAhead)
        {
            return IdempotencyProblems.CursorAhead();
        }
        var items = page.Rows.Select(row => toItem(row, FeedCursor.Encode(feed, area, new FeedPosition(row.Transaction, row.Position)))).ToList();
        return TypedResults.Ok(toPage(items, FeedCursor.Encode(feed, area, page.Next), page.HasMore));
    }

    /// <summary>The state a row carries, as the record the projection wrote (null for a tombstone).</summary>
    public static T? Payload<T>(FeedEntry row) where T : class =>
        row.Payload is null ? null : JsonSerializer.Deserialize<T>(row.Payload, Json);
}
