using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ReviewWorkflow.Data;

/// <summary>Which wait a <see cref="ReviewDurationBucket"/> counts.</summary>
public enum DurationMeasure : short
{
    /// <summary>Opening → first reviewer decision; flagged: the case has been returned since.</summary>
    FirstReview = 1,

    /// <summary>Opening → final decision; flagged: the decision was an approval.</summary>
    FinalDecision = 2,
}

/// <summary>
/// How many cases of an area ended a wait on one UTC day with a duration in one logarithmic bucket (issue 19): the
/// operator metrics' median and p90 over a month of a national peak read a few tens of thousands of these rows instead
/// of ordering hundreds of thousands of cases. Kept with every change of a case, like <see cref="ReviewCaseCount"/>.
/// </summary>
public sealed class ReviewDurationBucket
{
    public DateOnly Day { get; set; }
    public required string AreaCode { get; set; }
    public DurationMeasure Measure { get; set; }
    public short Bucket { get; set; }
    public long Count { get; set; }
    public long Flagged { get; set; }
}

internal sealed class ReviewDurationBucketConfiguration : IEntityTypeConfiguration<ReviewDurationBucket>
{
    public void Configure(EntityTypeBuilder<ReviewDurationBucket> builder)
    {
        builder.ToTable("ReviewDurationBuckets");
        // Day first: a period's query is a range over days, then every area (or one).
        builder.HasKey(x => new { x.Day, x.AreaCode, x.Measure, x.Bucket });
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        // A period's rows in one index-only range read (measured at 10,000,000 cases: the 30-day national read of
        // ~42,000 rows went from 47 ms through the heap to 10 ms); PostgreSQL only, SQLite ignores INCLUDE.
        builder.HasIndex(x => new { x.Measure, x.Day }).IncludeProperties(x => new { x.AreaCode, x.Bucket, x.Count, x.Flagged });
    }
}

/// <summary>
/// The bucket scale: eight buckets per doubling of (seconds + 1), so a bucket's geometric middle is within 4.5 % of
/// any duration in it (measured on seconds + 1; 2^(1/16) = 1.0443, plus the rounding of the reported figure). The formula is the same double arithmetic as the SQL in the migration and in
/// <c>ReviewMetricsQuery</c> (<c>floor(8 * ln(s + 1) / ln(2))</c>), so rows bucketed by either agree.
/// </summary>
public static class DurationBuckets
{
    public const int PerDoubling = 8;

    public static short Of(double seconds) => (short)Math.Floor(PerDoubling * Math.Log(Math.Max(0, seconds) + 1) / Math.Log(2));

    /// <summary>The geometric middle of a bucket, in seconds: what a percentile falling in it reports.</summary>
    public static double Middle(short bucket)
    {
        var seconds = Math.Pow(2, (bucket + 0.5) / PerDoubling) - 1;
        return Math.Round(seconds, seconds < 10 ? 2 : 1);
    }

    /// <summary>The nearest-rank percentile of a histogram (bucket → count), reported as the bucket's middle.</summary>
    public static double? Percentile(IReadOnlyDictionary<short, long> histogram, double p)
    {
        var total = histogram.Values.Sum();
        if (total == 0)
        {
            return null;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        foreach (var (bucket, count) in histogram.Where(h => h.Value > 0).OrderBy(h => h.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return Middle(bucket);
            }
        }
        return null;
    }
}

/// <summary>
/// The histogram changes a SaveChanges makes, read from the change tracker: a case contributes one count to each
/// wait it has ended (first review, final decision) under that wait's day, area and bucket, so the delta is its
/// contribution now minus its contribution as loaded. Applied with one atomic upsert per row in the case's
/// transaction (<see cref="CaseAggregates"/>).
/// </summary>
internal static class DurationHistogramDeltas
{
    public const string Upsert =
        """
        INSERT INTO "ReviewDurationBuckets" ("Day", "AreaCode", "Measure", "Bucket", "Count", "Flagged") VALUES ({0}, {1}, {2}, {3}, {4}, {5})
        ON CONFLICT ("Day", "AreaCode", "Measure", "Bucket") DO UPDATE
        SET "Count" = "ReviewDurationBuckets"."Count" + excluded."Count", "Flagged" = "ReviewDurationBuckets"."Flagged" + excluded."Flagged"
        """;

    public readonly record struct Key(DateOnly Day, string AreaCode, DurationMeasure Measure, short Bucket);

    public static Dictionary<Key, (long Count, long Flagged)> From(ChangeTracker tracker)
    {
        var deltas = new Dictionary<Key, (long Count, long Flagged)>();
        void Add(Contribution c, int sign)
        {
            var (count, flagged) = deltas.GetValueOrDefault(c.Key);
            deltas[c.Key] = (count + sign, flagged + (c.Flagged ? sign : 0));
        }
        foreach (var entry in tracker.Entries<ReviewCase>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                foreach (var c in Contributions(entry.CurrentValues))
                {
                    Add(c, +1);
                }
            }
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                foreach (var c in Contributions(entry.OriginalValues))
                {
                    Add(c, -1);
                }
            }
        }
        foreach (var key in deltas.Where(d => d.Value == (0, 0)).Select(d => d.Key).ToList())
        {
            deltas.Remove(key);
        }
        return deltas;
    }

    private readonly record struct Contribution(Key Key, bool Flagged);

    private static IEnumerable<Contribution> Contributions(PropertyValues values)
    {
        var area = values.GetValue<string>(nameof(ReviewCase.AreaCode));
        var opened = values.GetValue<DateTimeOffset>(nameof(ReviewCase.OpenedAt));
        if (values.GetValue<DateTimeOffset?>(nameof(ReviewCase.FirstReviewedAt)) is { } reviewed)
        {
            yield return new Contribution(KeyOf(area, DurationMeasure.FirstReview, opened, reviewed), values.GetValue<int>(nameof(ReviewCase.ReturnCount)) > 0);
        }
        if (values.GetValue<DateTimeOffset?>(nameof(ReviewCase.DecidedAt)) is { } decided)
        {
            yield return new Contribution(KeyOf(area, DurationMeasure.FinalDecision, opened, decided), values.GetValue<CaseState>(nameof(ReviewCase.State)) == CaseState.Approved);
        }
    }

    private static Key KeyOf(string area, DurationMeasure measure, DateTimeOffset opened, DateTimeOffset ended) =>
        new(DateOnly.FromDateTime(ended.UtcDateTime), area, measure, DurationBuckets.Of((ended - opened).TotalSeconds));
}
