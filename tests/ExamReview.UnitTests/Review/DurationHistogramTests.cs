using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Row = (System.DateOnly Day, string AreaCode, ExamReview.ReviewWorkflow.Data.DurationMeasure Measure, short Bucket, long Count, long Flagged);

namespace ExamReview.UnitTests.Review;

/// <summary>
/// The wait histograms behind the operator metrics at scale: the bucket scale's error bound, nearest-rank percentiles
/// over buckets, and the rows kept with every change of a case, checked against a recount from the cases themselves.
/// </summary>
public sealed class DurationHistogramTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 22, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"review-histogram-{Guid.NewGuid():N}.db");

    private ReviewDbContext Open() => new ReviewSqliteDbContext(new DbContextOptionsBuilder<ReviewSqliteDbContext>().UseSqlite($"Data Source={_file}").Options);

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(59)]
    [InlineData(3_600)]
    [InlineData(86_400)]
    [InlineData(30 * 86_400)]
    public void A_bucket_middle_is_within_the_stated_error_of_any_duration_in_it(int seconds)
    {
        var middle = DurationBuckets.Middle(DurationBuckets.Of(seconds));
        // Relative to (seconds + 1), the scale's own unit; 2^(1/16) − 1 = 4.43 %, and the reported figure's rounding.
        Assert.InRange((middle + 1) / (seconds + 1), 1 / 1.045, 1.045);
    }

    [Fact]
    public void Percentiles_take_the_nearest_rank_bucket()
    {
        var histogram = new Dictionary<short, long> { [DurationBuckets.Of(60)] = 5, [DurationBuckets.Of(3_600)] = 4, [DurationBuckets.Of(86_400)] = 1 };

        Assert.Equal(DurationBuckets.Middle(DurationBuckets.Of(60)), DurationBuckets.Percentile(histogram, 0.5)); // rank 5 of 10
        Assert.Equal(DurationBuckets.Middle(DurationBuckets.Of(3_600)), DurationBuckets.Percentile(histogram, 0.9)); // rank 9
        Assert.Equal(DurationBuckets.Middle(DurationBuckets.Of(86_400)), DurationBuckets.Percentile(histogram, 1.0));
        Assert.Null(DurationBuckets.Percentile(new Dictionary<short, long>(), 0.5));
    }

    [Fact]
    public async Task Rows_follow_every_change_of_a_case_and_match_a_recount()
    {
        var cases = Enumerable.Range(0, 12).Select(i => NewCase(i % 2 == 0 ? "43" : "44")).ToList();
        await using (var db = Open())
        {
            db.Cases.AddRange(cases);
            await db.SaveChangesAsync();
        }
        await using (var db = Open())
        {
            var loaded = await db.Cases.OrderBy(c => c.Id).ToListAsync();
            for (var i = 0; i < loaded.Count; i++)
            {
                // Reviewed across midnight UTC, so the rows land on two days.
                loaded[i].MarkReviewed(T0.AddMinutes(30 * (i + 1)));
            }
            loaded[0].TryApply(ReviewAction.Return, T0.AddHours(1));
            loaded[0].ReturnCount++;
            loaded[1].TryApply(ReviewAction.SiteApprove, T0.AddHours(2));
            await db.SaveChangesAsync();
        }
        await using (var db = Open())
        {
            var loaded = await db.Cases.OrderBy(c => c.Id).ToListAsync();
            loaded[1].TryApply(ReviewAction.AreaApprove, T0.AddHours(5));
            loaded[1].DecidedAt = T0.AddHours(5);
            loaded[2].State = CaseState.Rejected;
            loaded[2].DecidedAt = T0.AddHours(7);
            loaded[3].AreaCode = "45"; // moved: its contribution moves with it
            db.Cases.Remove(loaded[4]); // removed: its contribution goes
            await db.SaveChangesAsync();
        }

        await using var check = Open();
        var kept = await KeptAsync(check);
        var recount = await RecountAsync(check);
        Assert.Equal(recount, kept);
        Assert.Equal(2, kept.Select(k => k.Day).Distinct().Count());
        Assert.Contains(kept, k => k is { Measure: DurationMeasure.FirstReview, Flagged: 1 });
        Assert.Contains(kept, k => k is { Measure: DurationMeasure.FinalDecision, Count: 1, Flagged: 1 });
        Assert.Contains(kept, k => k.AreaCode == "45");

        // The migration's backfill (SQL of its own) builds the same rows from the same cases.
        var migrator = check.GetService<IMigrator>();
        var migrations = check.Database.GetMigrations().ToList();
        await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_LoadDurationHistograms", StringComparison.Ordinal)) - 1]);
        await migrator.MigrateAsync();
        Assert.Equal(recount, await KeptAsync(check));
    }

    private static async Task<List<Row>> KeptAsync(ReviewDbContext db) =>
        (await db.DurationBuckets.AsNoTracking().Where(b => b.Count != 0 || b.Flagged != 0).ToListAsync())
            .Select(b => (Row)(b.Day, b.AreaCode, b.Measure, b.Bucket, b.Count, b.Flagged)).Order().ToList();

    private static async Task<List<Row>> RecountAsync(ReviewDbContext db) =>
        (await db.Cases.AsNoTracking().ToListAsync()).SelectMany(c => new[]
            {
                c.FirstReviewedAt is { } r ? (End: r, Measure: DurationMeasure.FirstReview, Flag: c.ReturnCount > 0, c) : default,
                c.DecidedAt is { } d ? (End: d, Measure: DurationMeasure.FinalDecision, Flag: c.State == CaseState.Approved, c) : default,
            })
            .Where(x => x.c is not null)
            .GroupBy(x => (Day: DateOnly.FromDateTime(x.End.UtcDateTime), x.c.AreaCode, x.Measure, Bucket: DurationBuckets.Of((x.End - x.c.OpenedAt).TotalSeconds)))
            .Select(g => (Row)(g.Key.Day, g.Key.AreaCode, g.Key.Measure, g.Key.Bucket, (long)g.Count(), (long)g.Count(x => x.Flag))).Order().ToList();

    [Fact]
    public async Task Above_the_exact_limit_the_metrics_come_from_the_histogram_within_its_error()
    {
        await using (var db = Open())
        {
            for (var i = 1; i <= 40; i++)
            {
                var c = NewCase("43");
                c.OpenedAt = T0.AddDays(-3);
                c.FirstReviewedAt = c.OpenedAt.AddMinutes(7 * i);
                c.ReturnCount = i % 4 == 0 ? 1 : 0;
                db.Cases.Add(c);
            }
            await db.SaveChangesAsync();
        }
        await using var read = Open();
        var (from, to) = (T0.AddDays(-4).AddHours(5), T0.AddHours(3)); // partial days at both ends

        var exact = await ReviewMetricsQuery.ComputeAsync(read, new MetricsScope(from, to, "43", null), CancellationToken.None);
        var approximate = await ReviewMetricsQuery.ComputeAsync(read, new MetricsScope(from, to, "43", null), CancellationToken.None, exactLimit: 10);

        Assert.False(exact.TimeToFirstReview.Approximate);
        Assert.Equal(new DurationStats(40, 7 * 20 * 60, 7 * 36 * 60), exact.TimeToFirstReview);
        Assert.True(approximate.TimeToFirstReview.Approximate);
        Assert.Equal(40, approximate.TimeToFirstReview.Count);
        Assert.Equal(exact.ReturnRate, approximate.ReturnRate);
        Assert.InRange(approximate.TimeToFirstReview.MedianSeconds!.Value / exact.TimeToFirstReview.MedianSeconds!.Value, 1 / 1.045, 1.045);
        Assert.InRange(approximate.TimeToFirstReview.P90Seconds!.Value / exact.TimeToFirstReview.P90Seconds!.Value, 1 / 1.045, 1.045);
    }

    private static ReviewCase NewCase(string area) => ReviewCases.NewCase(at: T0, area: area);
}
