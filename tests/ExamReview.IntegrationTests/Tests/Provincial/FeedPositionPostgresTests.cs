using System.Collections.Concurrent;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>
/// The feed position rule on PostgreSQL, where identity values are handed out at insert but transactions commit in any
/// order: a row whose transaction is still open holds back every row after it, so a client following its cursor never
/// skips the late committer, never sees a rolled-back row, and never sees a row twice — with many writers at once and a
/// reader that starts afresh from its stored cursor on every poll (as after a restart).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FeedPositionPostgresTests(PostgresContainer server) : FreshPostgresDatabaseTests(server, "er_feed_")
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected override ReviewPostgreSqlDbContext Open() =>
        new(new DbContextOptionsBuilder<ReviewPostgreSqlDbContext>().UseNpgsql(ConnectionString(c => c.MaxPoolSize = 40)).Options);

    private static ReviewCase NewCase(string site = "4301") => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
        SiteCode = site, ImageIdsJson = "[]", State = CaseState.SiteReview, SubmissionNumber = 1, SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0,
    };

    private async Task<FeedRows> ReadAsync(string cursor)
    {
        await using var db = Open();
        var after = FeedCursor.Decode(cursor, ReviewFeedProjection.Feed, "43") ?? throw new InvalidOperationException("cursor lost");
        return await FeedPositionRule.ReadAsync(db, ReviewFeedProjection.Feed, "43", after, 10, CancellationToken.None);
    }

    [Fact]
    public async Task A_row_that_commits_after_a_later_position_is_not_skipped()
    {
        // Two sites: a site's per-state case count (ReviewCaseCounts) is one row that a case's transaction holds until it
        // commits, so a second case of the same site would wait for the open transaction instead of overtaking it.
        var early = NewCase("4301");
        var late = NewCase("4302");
        await using var slow = Open();
        await using var transaction = await slow.Database.BeginTransactionAsync();
        slow.Cases.Add(early);
        await slow.SaveChangesAsync(); // the smaller position, not yet committed
        await using (var fast = Open())
        {
            fast.Cases.Add(late);
            await fast.SaveChangesAsync(); // the larger position, committed first
        }

        await using (var naive = Open())
        {
            // What a reader ordering by position alone would serve now — and then never go back for `early`.
            var visible = await naive.Set<FeedEntry>().AsNoTracking().OrderBy(e => e.Position).Select(e => e.ItemId).ToListAsync();
            Assert.Equal([late.Id], visible);
        }
        var start = FeedCursor.Encode(ReviewFeedProjection.Feed, "43", FeedPosition.Start);
        var held = await ReadAsync(start);
        Assert.Empty(held.Rows); // held back behind the open transaction

        await transaction.CommitAsync();
        var page = await ReadAsync(FeedCursor.Encode(ReviewFeedProjection.Feed, "43", held.Next));
        Assert.Equal([early.Id, late.Id], page.Rows.Select(r => r.ItemId));
        Assert.All(page.Rows, r => Assert.True(r.Transaction > 0));
    }

    [Fact]
    public async Task Concurrent_writers_and_a_restarting_reader_see_every_committed_change_exactly_once()
    {
        const int writers = 8;
        const int transactionsEach = 25;
        var committed = new ConcurrentBag<Guid>();
        var rolledBack = new ConcurrentBag<Guid>();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < transactionsEach; i++)
            {
                await using var db = Open();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var reviewCase = NewCase();
                db.Cases.Add(reviewCase);
                await db.SaveChangesAsync();
                await Task.Delay(random.Next(0, 15)); // commit order differs from insert order
                if ((w + i) % 7 == 0)
                {
                    await transaction.RollbackAsync();
                    rolledBack.Add(reviewCase.Id);
                }
                else
                {
                    await transaction.CommitAsync();
                    committed.Add(reviewCase.Id);
                }
            }
        })).ToList();

        // The client keeps only its cursor string between polls, as across a restart.
        var cursor = FeedCursor.Encode(ReviewFeedProjection.Feed, "43", FeedPosition.Start);
        var seen = new List<Guid>();
        var all = Task.WhenAll(writing);
        while (true)
        {
            var done = all.IsCompleted;
            var page = await ReadAsync(cursor);
            seen.AddRange(page.Rows.Select(r => r.ItemId));
            cursor = FeedCursor.Encode(ReviewFeedProjection.Feed, "43", page.Next);
            if (done && !page.HasMore)
            {
                break;
            }
            if (!page.HasMore)
            {
                await Task.Delay(3);
            }
        }
        await all;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(committed.OrderBy(id => id), seen.OrderBy(id => id));
        Assert.DoesNotContain(seen, rolledBack.Contains);
        Assert.NotEmpty(rolledBack);
    }

    [Fact]
    public async Task Only_a_cursor_past_the_last_row_is_refused_also_while_a_writer_holds_rows_back()
    {
        await using (var db = Open())
        {
            db.Cases.Add(NewCase());
            await db.SaveChangesAsync();
        }
        var start = FeedCursor.Encode(ReviewFeedProjection.Feed, "43", FeedPosition.Start);
        var end = (await ReadAsync(start)).Next;
        Assert.NotEqual(FeedPosition.Start, end);

        // A writer holds its row open: the end cursor reads an empty page, and is still good.
        await using var slow = Open();
        await using var transaction = await slow.Database.BeginTransactionAsync();
        slow.Cases.Add(NewCase("4302"));
        await slow.SaveChangesAsync();
        var atEnd = await ReadAsync(FeedCursor.Encode(ReviewFeedProjection.Feed, "43", end));
        Assert.Equal((false, 0, end), (atEnd.CursorAhead, atEnd.Rows.Count, atEnd.Next));

        // Past the last row, by position or by transaction id: refused.
        foreach (var forged in new[] { end with { Position = end.Position + 1 }, new FeedPosition(end.Transaction + 1_000_000, 1) })
        {
            Assert.True((await ReadAsync(FeedCursor.Encode(ReviewFeedProjection.Feed, "43", forged))).CursorAhead, $"{forged} is past the end");
        }

        // Once the writer commits, the end cursor goes on to its row.
        await transaction.CommitAsync();
        var next = await ReadAsync(FeedCursor.Encode(ReviewFeedProjection.Feed, "43", end));
        Assert.Equal((false, 1), (next.CursorAhead, next.Rows.Count));
    }
}
