using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.UnitTests.Provincial;

/// <summary>
/// The reviews feed on the embedded run's SQLite: rows written by the same saves as the cases, paged by cursor in commit
/// order, every change once, claims left out, a removed case as a tombstone.
/// </summary>
public sealed class SqliteFeedTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"feed-{Guid.NewGuid():N}.db");

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

    private async Task<List<FeedEntry>> SyncAsync(string area, int pageSize)
    {
        await using var db = Open();
        var all = new List<FeedEntry>();
        var after = FeedPosition.Start;
        while (true)
        {
            var page = await FeedPositionRule.ReadAsync(db, ReviewFeedProjection.Feed, area, after, pageSize, CancellationToken.None);
            all.AddRange(page.Rows);
            after = page.Next;
            if (!page.HasMore)
            {
                return all;
            }
        }
    }

    [Fact]
    public async Task Every_result_change_is_served_once_in_commit_order_and_only_to_its_area()
    {
        var cases = Enumerable.Range(0, 5).Select(_ => NewCase("43")).ToList();
        var other = NewCase("44");
        await using (var db = Open())
        {
            db.Cases.AddRange(cases);
            db.Cases.Add(other);
            await db.SaveChangesAsync();
        }
        await using (var db = Open())
        {
            var first = await db.Cases.SingleAsync(c => c.Id == cases[0].Id);
            first.Claim("reviewer", T0, TimeSpan.FromMinutes(30)); // working state: not a result
            await db.SaveChangesAsync();
            first.TryApply(ReviewAction.SiteApprove, T0.AddMinutes(1));
            await db.SaveChangesAsync();
            db.Cases.Remove(await db.Cases.SingleAsync(c => c.Id == cases[1].Id));
            await db.SaveChangesAsync();
        }

        var feed = await SyncAsync("43", pageSize: 2);

        Assert.Equal(7, feed.Count); // five opened, one site approval, one removal; the claim is not a result
        Assert.Equal(feed.Select(r => r.Position).Order(), feed.Select(r => r.Position));
        Assert.Equal(feed.Count, feed.Select(r => r.Position).Distinct().Count());
        Assert.DoesNotContain(feed, r => r.ItemId == other.Id);
        Assert.Equal("AreaReview", FeedQuery.Payload<ProvincialReview>(feed[5])!.State);
        Assert.True(feed[6].Deleted);
        Assert.Equal(cases[1].Id, feed[6].ItemId);
        Assert.Null(feed[6].Payload);
        Assert.All(feed, r => Assert.Equal(0, r.Transaction));
    }

    [Fact]
    public async Task A_cursor_continues_where_it_stopped_and_an_empty_page_keeps_it()
    {
        await using (var db = Open())
        {
            db.Cases.Add(NewCase("43"));
            await db.SaveChangesAsync();
        }
        await using var reader = Open();
        var first = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", FeedPosition.Start, 10, CancellationToken.None);
        var empty = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", first.Next, 10, CancellationToken.None);
        Assert.Single(first.Rows);
        Assert.Empty(empty.Rows);
        Assert.Equal(first.Next, empty.Next);

        await using (var db = Open())
        {
            db.Cases.Add(NewCase("43"));
            await db.SaveChangesAsync();
        }
        var next = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", empty.Next, 10, CancellationToken.None);
        Assert.Single(next.Rows);
        Assert.True(next.Rows[0].Position > first.Rows[0].Position);
    }

    [Fact]
    public async Task A_cursor_beyond_the_feeds_end_is_refused_but_the_start_the_end_itself_and_the_end_while_changes_arrive_are_not()
    {
        await using (var db = Open())
        {
            db.Cases.Add(NewCase("43"));
            db.Cases.Add(NewCase("44")); // a later position, of another area
            await db.SaveChangesAsync();
        }
        await using var reader = Open();
        var all = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", FeedPosition.Start, 10, CancellationToken.None);
        var end = all.Next;

        // Exactly at the end: an empty page that keeps the cursor, not a refusal.
        var atEnd = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", end, 10, CancellationToken.None);
        Assert.Equal((false, 0, end), (atEnd.CursorAhead, atEnd.Rows.Count, atEnd.Next));
        // The start of an area with no row yet is where every client begins.
        Assert.False((await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "45", FeedPosition.Start, 10, CancellationToken.None)).CursorAhead);

        // Forged past the end (here: one past it, and the other area's later position): refused, nothing served.
        var otherArea = (await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "44", FeedPosition.Start, 10, CancellationToken.None)).Next;
        foreach (var forged in new[] { end with { Position = end.Position + 1 }, otherArea, new FeedPosition(0, long.MaxValue) })
        {
            var refused = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", forged, 10, CancellationToken.None);
            Assert.Equal((true, 0, false), (refused.CursorAhead, refused.Rows.Count, refused.HasMore));
        }

        // The end cursor kept while changes arrive goes on to them, and stays good once they are read.
        await using (var db = Open())
        {
            db.Cases.Add(NewCase("43"));
            await db.SaveChangesAsync();
        }
        var next = await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", end, 10, CancellationToken.None);
        Assert.Equal((false, 1), (next.CursorAhead, next.Rows.Count));
        Assert.False((await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", next.Next, 10, CancellationToken.None)).CursorAhead);
        Assert.False((await FeedPositionRule.ReadAsync(reader, ReviewFeedProjection.Feed, "43", end, 10, CancellationToken.None)).CursorAhead);
    }

    [Fact]
    public async Task A_save_that_lost_a_race_leaves_no_feed_row_when_it_is_retried()
    {
        var c = NewCase("43");
        await using (var db = Open())
        {
            db.Cases.Add(c);
            await db.SaveChangesAsync();
        }
        await using var winner = Open();
        await using var loser = Open();
        var won = await winner.Cases.SingleAsync(x => x.Id == c.Id);
        var lost = await loser.Cases.SingleAsync(x => x.Id == c.Id);
        won.TryApply(ReviewAction.SiteApprove, T0);
        await winner.SaveChangesAsync();
        lost.TryApply(ReviewAction.Return, T0);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => loser.SaveChangesAsync());

        // The retry reloads and decides again; the failed attempt's feed row must not ride along.
        await loser.Entry(lost).ReloadAsync();
        Assert.True(lost.TryApply(ReviewAction.Return, T0.AddMinutes(1)));
        await loser.SaveChangesAsync();

        var rows = await loser.Set<FeedEntry>().AsNoTracking().Where(r => r.ItemId == c.Id).OrderBy(r => r.Position).ToListAsync();
        Assert.Equal(["SiteReview", "AreaReview", "Returned"], rows.Select(r => FeedQuery.Payload<ProvincialReview>(r)!.State));
    }
}
