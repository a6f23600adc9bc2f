using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.MaterialStorage.Data;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// A deployment's migration adds a column to a service's outbox while its older replicas still run. Their relays keep
/// polling on connections whose statements are prepared (<see cref="DatabaseExtensions.TunedForServices"/>), through a
/// pool of one here so every poll gets the same server session back: the relay's batch query must not fail then. And
/// the batch is what the relays of several replicas need: the oldest unpublished rows, in order, none to two of them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxBatchesPostgresTests(PostgresContainer server) : FreshPostgresDatabaseTests(server, "er_outbox_")
{
    private const int BatchSize = 100;
    private const string AddColumn = """ALTER TABLE "OutboxMessages" ADD COLUMN "AddedByANewerRelease" integer""";

    /// <summary>The pool of one the relay's polls go through.</summary>
    private string Connection => Tuned(maxPoolSize: 1);

    /// <summary>An ordinary pool, for seeding and for the tests that need more than one connection at a time.</summary>
    private string Shared => Tuned(maxPoolSize: 20);

    private string Tuned(int maxPoolSize) => DatabaseExtensions.TunedForServices(ConnectionString(c => c.MaxPoolSize = maxPoolSize));

    protected override MaterialStoragePostgreSqlDbContext Open() => Open(Connection);

    private static MaterialStoragePostgreSqlDbContext Open(string connection) =>
        new(new DbContextOptionsBuilder<MaterialStoragePostgreSqlDbContext>().UseNpgsql(connection).Options);

    [Fact]
    public async Task A_relay_keeps_polling_when_a_newer_release_adds_an_outbox_column()
    {
        var queued = await QueueAsync(3);
        for (var poll = 0; poll < 3; poll++) // auto-prepared from the second use on; each poll rolls back, as a failed publish leaves the rows
        {
            await PollAsync(db => OutboxBatches.TakeAsync(db, 2, CancellationToken.None), commit: false);
        }
        await using (var admin = Open())
        {
            await admin.Database.ExecuteSqlRawAsync(AddColumn);
        }

        var batch = await PollAsync(db => OutboxBatches.TakeAsync(db, 2, CancellationToken.None));
        Assert.Equal(queued.Take(2), batch.Select(m => m.MessageId));
    }

    /// <summary>Two replicas' relays at once: each gets the oldest unpublished rows the other does not hold, in order.</summary>
    [Fact]
    public async Task Relays_polling_at_once_take_the_oldest_unpublished_rows_in_order_and_never_the_same_one()
    {
        var queued = await QueueAsync(5);
        await using (var db = Open(Shared))
        {
            await db.OutboxMessages.Where(m => m.MessageId == queued[1]).ExecuteUpdateAsync(m => m.SetProperty(o => o.PublishedAt, DateTimeOffset.UtcNow));
        }

        await using var first = Open(Shared);
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        var firstBatch = await OutboxBatches.TakeAsync(first, 2, CancellationToken.None);
        await using var second = Open(Shared);
        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        var secondBatch = await OutboxBatches.TakeAsync(second, 5, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10)); // SKIP LOCKED: never waits for the first relay's rows

        Assert.Equal([queued[0], queued[2]], firstBatch.Select(m => m.MessageId));
        Assert.Equal([queued[3], queued[4]], secondBatch.Select(m => m.MessageId));
    }

    /// <summary>Commits <paramref name="count"/> outbox rows and returns their message ids, oldest first.</summary>
    private async Task<Guid[]> QueueAsync(int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await using var db = Open(Shared);
        foreach (var id in ids)
        {
            db.OutboxMessages.Add(new OutboxMessage { MessageId = id, MessageType = "test", Body = "{}", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(); // one by one: the sequence follows the order
        }
        return ids;
    }

    /// <summary>The control: the same query unwrapped (<c>SELECT *</c> as the whole statement) fails exactly there.</summary>
    [Fact]
    public async Task The_same_query_as_a_bare_select_star_fails_once_prepared()
    {
        static Task<List<OutboxMessage>> Bare(ServiceDbContext db) => db.OutboxMessages.FromSqlRaw(
            """SELECT * FROM "OutboxMessages" WHERE "PublishedAt" IS NULL ORDER BY "Sequence" LIMIT {0} FOR UPDATE SKIP LOCKED""", BatchSize).ToListAsync();
        for (var poll = 0; poll < 3; poll++)
        {
            await PollAsync(Bare, commit: false);
        }
        await using (var admin = Open())
        {
            await admin.Database.ExecuteSqlRawAsync(AddColumn);
        }

        var failure = await Assert.ThrowsAsync<PostgresException>(() => PollAsync(Bare));
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, failure.SqlState); // 0A000: cached plan must not change result type
    }

    /// <summary>One relay poll on the pool of one: the batch read in its own transaction, as the relay reads it.</summary>
    private async Task<List<OutboxMessage>> PollAsync(Func<ServiceDbContext, Task<List<OutboxMessage>>> batch, bool commit = true)
    {
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var rows = await batch(db);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        return rows;
    }
}
