using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Provincial;

/// <summary>
/// The start-up backfill on the embedded run's SQLite: items from before the feed (no feed row) enter it once, in
/// batches, with their current state through the service's projection; items already in the feed are left alone; a
/// second run writes nothing; later changes follow the backfilled rows.
/// </summary>
public sealed class FeedBackfillTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"backfill-{Guid.NewGuid():N}.db");

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

    private static ReviewCase NewCase(string area) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = area,
        SiteCode = area + "01", ImageIdsJson = "[]", State = CaseState.SiteReview, SubmissionNumber = 1, SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0,
    };

    private async Task<List<FeedEntry>> FeedAsync(string area)
    {
        await using var db = Open();
        var page = await FeedPositionRule.ReadAsync(db, ReviewFeedProjection.Feed, area, FeedPosition.Start, 500, CancellationToken.None);
        Assert.False(page.HasMore);
        return page.Rows.ToList();
    }

    private async Task<int> BackfillAsync()
    {
        var services = new ServiceCollection().AddScoped<ReviewDbContext>(_ => Open()).BuildServiceProvider();
        await using (services)
        {
            return await FeedBackfill.RunAsync(services, ReviewFeedBackfill.Sources, batchSize: 2, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Items_from_before_the_feed_enter_it_once_with_their_current_state_and_a_second_run_writes_nothing()
    {
        var fed = NewCase("43");
        var legacy = Enumerable.Range(0, 4).Select(_ => NewCase("43")).ToList();
        var other = NewCase("44");
        await using (var db = Open())
        {
            db.Cases.Add(fed);
            db.Cases.AddRange(legacy);
            db.Cases.Add(other);
            await db.SaveChangesAsync();
            // Before the feed migration these had no rows: remove theirs, and move one on, as history did.
            var legacyIds = legacy.Select(c => c.Id).Append(other.Id).ToList();
            await db.Set<FeedEntry>().Where(f => legacyIds.Contains(f.ItemId)).ExecuteDeleteAsync();
            await db.Cases.Where(c => c.Id == legacy[0].Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.State, CaseState.AreaReview));
        }
        Assert.Single(await FeedAsync("43"));

        Assert.Equal(legacy.Count + 1, await BackfillAsync());

        var feed = await FeedAsync("43");
        Assert.Equal(fed.Id, feed[0].ItemId); // the row it already had stays first and is not repeated
        Assert.Equal(legacy.Select(c => c.Id).Append(fed.Id).Order(), feed.Select(r => r.ItemId).Order());
        Assert.Equal(feed.Count, feed.Select(r => r.ItemId).Distinct().Count());
        Assert.All(feed, r => Assert.False(r.Deleted));
        Assert.Equal("AreaReview", FeedQuery.Payload<ProvincialReview>(feed.Single(r => r.ItemId == legacy[0].Id))!.State);
        Assert.Equal("SiteReview", FeedQuery.Payload<ProvincialReview>(feed.Single(r => r.ItemId == legacy[1].Id))!.State);
        Assert.Equal([other.Id], (await FeedAsync("44")).Select(r => r.ItemId));

        // Idempotent: every item has a row now, so the next start writes nothing.
        Assert.Equal(0, await BackfillAsync());
        Assert.Equal(feed.Count, (await FeedAsync("43")).Count);

        // A live change afterwards follows the backfilled row, so a client ends with the newest state.
        await using (var db = Open())
        {
            var reviewCase = await db.Cases.SingleAsync(c => c.Id == legacy[1].Id);
            Assert.True(reviewCase.TryApply(ReviewAction.SiteApprove, T0.AddMinutes(1)));
            await db.SaveChangesAsync();
        }
        var after = await FeedAsync("43");
        Assert.Equal(legacy[1].Id, after[^1].ItemId);
        Assert.Equal("AreaReview", FeedQuery.Payload<ProvincialReview>(after[^1])!.State);
    }
}
