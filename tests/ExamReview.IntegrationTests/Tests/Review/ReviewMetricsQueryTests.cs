using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// The operators' review metrics over the same cases on PostgreSQL (aggregated in SQL, percentile_disc) and on
/// SQLite (the embedded run's in-memory percentiles): both give exactly the expected nearest-rank figures.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReviewMetricsQueryTests(PostgresContainer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset PeriodStart = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PeriodEnd = PeriodStart.AddDays(10);
    private readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), $"review-metrics-{Guid.NewGuid():N}.db");
    private readonly string _postgres = new NpgsqlConnectionStringBuilder(server.ConnectionString)
    {
        Database = $"er_metrics_{Guid.NewGuid():N}"[..24],
    }.ConnectionString;

    private ReviewDbContext Postgres() => new ReviewPostgreSqlDbContext(new DbContextOptionsBuilder<ReviewPostgreSqlDbContext>().UseNpgsql(_postgres).Options);

    private ReviewDbContext Sqlite() => new ReviewSqliteDbContext(new DbContextOptionsBuilder<ReviewSqliteDbContext>().UseSqlite($"Data Source={_sqliteFile}").Options);

    public async Task InitializeAsync()
    {
        foreach (var open in new Func<ReviewDbContext>[] { Postgres, Sqlite })
        {
            await using var db = open();
            await db.Database.MigrateAsync();
            db.Cases.AddRange(Seed());
            db.CaseEvents.AddRange(
                Event("site-reviewer-1", CaseEventKinds.SiteApproved, PeriodStart.AddDays(1)),
                Event("site-reviewer-1", CaseEventKinds.ImageApproved, PeriodStart.AddDays(1)),
                Event("site-reviewer-2", CaseEventKinds.ReturnedSite, PeriodStart.AddDays(2)),
                Event("site-reviewer-2", CaseEventKinds.SiteApproved, PeriodStart.AddDays(-3))); // before the period
            await db.SaveChangesAsync();
        }
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Durations_rates_and_counts_are_the_expected_nearest_rank_figures(string database)
    {
        await using var db = database == "postgres" ? Postgres() : Sqlite();

        var area = await ReviewMetricsQuery.ComputeAsync(db, new MetricsScope(PeriodStart, PeriodEnd, "91", null), CancellationToken.None);

        // First reviews after 1..9 minutes: median = 5th of 9, p90 = 9th of 9 (nearest rank); 2 of 9 were returned.
        Assert.Equal(new DurationStats(9, 300, 540), area.TimeToFirstReview);
        Assert.Equal(9, area.CasesReviewed);
        Assert.Equal(2.0 / 9, area.ReturnRate!.Value, 10);
        // Final decisions after 1..5 hours: median = 3rd of 5, p90 = 5th of 5; 3 of 5 approved.
        Assert.Equal(new DurationStats(5, 3 * 3600, 5 * 3600), area.TimeToFinalDecision);
        Assert.Equal(5, area.FinalDecisions);
        Assert.Equal(0.6, area.ApprovalRate!.Value, 10);
        Assert.Contains(area.CasesByStatus, s => s is { AreaCode: "91", SiteCode: "9101", State: "Approved", Count: 3 });

        var site = await ReviewMetricsQuery.ComputeAsync(db, new MetricsScope(PeriodStart, PeriodEnd, null, "9102"), CancellationToken.None);
        Assert.Equal(new DurationStats(1, 3600 * 30, 3600 * 30), site.TimeToFinalDecision);
        Assert.Equal(new DurationStats(0, null, null), site.TimeToFirstReview);

        // The same period written in Beijing time (+08:00), as an operator would.
        var beijing = TimeSpan.FromHours(8);
        var everywhere = await ReviewMetricsQuery.ComputeAsync(db, new MetricsScope(PeriodStart.ToOffset(beijing), PeriodEnd.ToOffset(beijing), null, null), CancellationToken.None);
        Assert.Equal(6, everywhere.FinalDecisions);
        Assert.Equal(9, everywhere.CasesReviewed); // the first review before the period is not counted
        Assert.Equal(
            [new ReviewerThroughput("site-reviewer-1", 2, 1, 1, 0, 0), new ReviewerThroughput("site-reviewer-2", 1, 0, 0, 1, 0)],
            everywhere.ThroughputPerReviewer);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Above_the_exact_limit_the_histogram_gives_the_same_counts_and_waits_within_its_error(string database)
    {
        await using var db = database == "postgres" ? Postgres() : Sqlite();
        // Half-past midnight to half-past midnight: whole days from the histogram rows, both ends from the cases.
        var (from, to) = (PeriodStart.AddMinutes(30), PeriodEnd.AddMinutes(30));

        var exact = await ReviewMetricsQuery.ComputeAsync(db, new MetricsScope(from, to, "91", null), CancellationToken.None);
        var approximate = await ReviewMetricsQuery.ComputeAsync(db, new MetricsScope(from, to, "91", null), CancellationToken.None, exactLimit: 0);

        foreach (var (e, a) in new[] { (exact.TimeToFirstReview, approximate.TimeToFirstReview), (exact.TimeToFinalDecision, approximate.TimeToFinalDecision) })
        {
            Assert.False(e.Approximate);
            Assert.True(a.Approximate);
            Assert.Equal(e.Count, a.Count);
            Assert.InRange((a.MedianSeconds!.Value + 1) / (e.MedianSeconds!.Value + 1), 1 / 1.045, 1.045);
            Assert.InRange((a.P90Seconds!.Value + 1) / (e.P90Seconds!.Value + 1), 1 / 1.045, 1.045);
        }
        Assert.Equal(exact.ReturnRate, approximate.ReturnRate);
        Assert.Equal(exact.ApprovalRate, approximate.ApprovalRate);
    }

    [Fact]
    public async Task The_migration_backfills_the_histograms_the_saves_keep()
    {
        await using var db = Postgres();
        var kept = await HistogramAsync(db);
        Assert.NotEmpty(kept);

        var migrations = db.Database.GetMigrations().ToList();
        var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
        await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_LoadDurationHistograms", StringComparison.Ordinal)) - 1]);
        await migrator.MigrateAsync();

        Assert.Equal(kept, await HistogramAsync(db));
    }

    private static async Task<List<string>> HistogramAsync(ReviewDbContext db) =>
        (await db.DurationBuckets.AsNoTracking().Where(b => b.Count != 0).ToListAsync())
            .Select(b => $"{b.Day:yyyy-MM-dd} {b.AreaCode} {b.Measure} {b.Bucket} {b.Count} {b.Flagged}").Order(StringComparer.Ordinal).ToList();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var db = Postgres())
        {
            await db.Database.EnsureDeletedAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_sqliteFile);
    }

    private static IEnumerable<ReviewCase> Seed()
    {
        var opened = PeriodStart.AddDays(1);
        for (var minutes = 1; minutes <= 9; minutes++)
        {
            yield return Case("91", "9101", CaseState.AreaReview, opened, firstReviewed: opened.AddMinutes(minutes), returns: minutes is 2 or 4 ? 1 : 0);
        }
        for (var hours = 1; hours <= 5; hours++)
        {
            yield return Case("91", "9101", hours <= 3 ? CaseState.Approved : CaseState.Rejected, opened, decided: opened.AddHours(hours));
        }
        yield return Case("91", "9101", CaseState.AreaReview, PeriodStart.AddDays(-5), firstReviewed: PeriodStart.AddDays(-4)); // before the period
        yield return Case("92", "9102", CaseState.Approved, opened, decided: opened.AddHours(30)); // another area
    }

    private static ReviewCase Case(string area, string site, CaseState state, DateTimeOffset opened, DateTimeOffset? firstReviewed = null, DateTimeOffset? decided = null, int returns = 0) => new()
    {
        Id = Guid.NewGuid(),
        ApplicationId = Guid.NewGuid(),
        CandidateId = Guid.NewGuid(),
        RegistrationNumber = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
        AreaCode = area,
        SiteCode = site,
        State = state,
        SubmissionNumber = 1,
        ImageIdsJson = "[]",
        SubmittedAt = opened,
        OpenedAt = opened,
        UpdatedAt = opened,
        FirstReviewedAt = firstReviewed,
        DecidedAt = decided,
        ReturnCount = returns,
    };

    private static CaseEvent Event(string actor, string kind, DateTimeOffset at) => new() { Id = Guid.NewGuid(), CaseId = Guid.NewGuid(), Kind = kind, Actor = actor, At = at };
}
