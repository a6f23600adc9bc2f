using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>
/// A period's wait histogram (bucket → count) for the whole country or one area: the whole UTC days inside the period
/// from <see cref="ReviewDurationBucket"/> rows, and the partial days at either end (at most two days of cases)
/// bucketed from the cases themselves with the same formula, so any period can be asked for.
/// </summary>
internal static class DurationHistogramQuery
{
    public sealed record Histogram(IReadOnlyDictionary<short, long> Counts, long Total, long Flagged);

    /// <summary>The result row of the edge query.</summary>
    private sealed record BucketRow(short Bucket, long Count, long Flagged);

    public static async Task<Histogram> ReadAsync(
        ReviewDbContext db, DurationMeasure measure, DateTimeOffset periodStart, DateTimeOffset periodEnd, string? areaCode, CancellationToken ct)
    {
        var firstDay = DateOnly.FromDateTime(periodStart.UtcDateTime);
        if (periodStart.UtcDateTime.TimeOfDay != TimeSpan.Zero)
        {
            firstDay = firstDay.AddDays(1);
        }
        var endDay = DateOnly.FromDateTime(periodEnd.UtcDateTime); // exclusive: its cases before periodEnd are an edge
        var rows = new List<BucketRow>();
        if (firstDay < endDay)
        {
            var buckets = db.DurationBuckets.AsNoTracking().Where(b => b.Measure == measure && b.Day >= firstDay && b.Day < endDay);
            if (areaCode is not null)
            {
                buckets = buckets.Where(b => b.AreaCode == areaCode);
            }
            rows.AddRange(await buckets.GroupBy(b => b.Bucket)
                .Select(g => new BucketRow(g.Key, g.Sum(b => b.Count), g.Sum(b => b.Flagged))).ToListAsync(ct));
            rows.AddRange(await EdgeAsync(db, measure, periodStart, Midnight(firstDay), areaCode, ct));
            rows.AddRange(await EdgeAsync(db, measure, Midnight(endDay), periodEnd, areaCode, ct));
        }
        else
        {
            rows.AddRange(await EdgeAsync(db, measure, periodStart, periodEnd, areaCode, ct));
        }
        var counts = rows.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        return new Histogram(counts, rows.Sum(r => r.Count), rows.Sum(r => r.Flagged));
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static async Task<IReadOnlyList<BucketRow>> EdgeAsync(
        ReviewDbContext db, DurationMeasure measure, DateTimeOffset from, DateTimeOffset to, string? areaCode, CancellationToken ct)
    {
        if (from >= to)
        {
            return [];
        }
        if (db.IsSqlite)
        {
            // The embedded run's scale: the edge's cases travel and are bucketed here.
            var cases = db.Cases.AsNoTracking().Where(c => areaCode == null || c.AreaCode == areaCode);
            var spans = measure == DurationMeasure.FirstReview
                ? await cases.Where(c => c.FirstReviewedAt >= from && c.FirstReviewedAt < to)
                    .Select(c => new { c.OpenedAt, End = c.FirstReviewedAt!.Value, Flag = c.ReturnCount > 0 }).ToListAsync(ct)
                : await cases.Where(c => c.DecidedAt >= from && c.DecidedAt < to)
                    .Select(c => new { c.OpenedAt, End = c.DecidedAt!.Value, Flag = c.State == CaseState.Approved }).ToListAsync(ct);
            return spans.GroupBy(s => DurationBuckets.Of((s.End - s.OpenedAt).TotalSeconds))
                .Select(g => new BucketRow(g.Key, g.Count(), g.Count(s => s.Flag))).ToList();
        }
        var (column, flag) = measure == DurationMeasure.FirstReview
            ? ("FirstReviewedAt", "\"ReturnCount\" > 0")
            : ("DecidedAt", $"\"State\" = {(int)CaseState.Approved}");
#pragma warning disable EF1002 // the interpolated fragments are the constants above; values go in as parameters
        return await db.Database.SqlQueryRaw<BucketRow>(
            $"""
            SELECT {PostgresBucket(column)} AS "Bucket", count(*) AS "Count", count(*) FILTER (WHERE {flag}) AS "Flagged"
            FROM "ReviewCases"
            WHERE "{column}" >= @from AND "{column}" < @to AND (@areaCode::text IS NULL OR "AreaCode" = @areaCode)
            GROUP BY 1
            """,
            new Npgsql.NpgsqlParameter("from", from.ToUniversalTime()),
            new Npgsql.NpgsqlParameter("to", to.ToUniversalTime()),
            new Npgsql.NpgsqlParameter("areaCode", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)areaCode ?? DBNull.Value })
            .ToListAsync(ct);
#pragma warning restore EF1002
    }

    /// <summary><see cref="DurationBuckets.Of"/> in PostgreSQL, for the wait ending at <paramref name="column"/>; the migration uses the same.</summary>
    public static string PostgresBucket(string column) =>
        $"floor({DurationBuckets.PerDoubling} * ln(greatest(0, extract(epoch FROM \"{column}\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2";
}
