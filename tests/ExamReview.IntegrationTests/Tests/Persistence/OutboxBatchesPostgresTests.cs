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
/// pool of one here so every poll gets the same server session back: the relay's batch query must not fail then.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutboxBatchesPostgresTests(PostgresContainer server) : IAsyncLifetime
{
    private const int BatchSize = 100;
    private const string AddColumn = """ALTER TABLE "OutboxMessages" ADD COLUMN "AddedByANewerRelease" integer""";
    private readonly string _connection = DatabaseExtensions.TunedForServices(new NpgsqlConnectionStringBuilder(server.ConnectionString)
    {
        Database = $"er_outbox_{Guid.NewGuid():N}"[..24],
        MaxPoolSize = 1,
    }.ConnectionString);

    private MaterialStoragePostgreSqlDbContext Open() =>
        new(new DbContextOptionsBuilder<MaterialStoragePostgreSqlDbContext>().UseNpgsql(_connection).Options);

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = Open();
        await db.Database.EnsureDeletedAsync();
    }

    [Fact]
    public async Task A_relay_keeps_polling_when_a_newer_release_adds_an_outbox_column()
    {
        for (var poll = 0; poll < 3; poll++) // auto-prepared from the second use on
        {
            await PollAsync(db => OutboxBatches.Pending(db, BatchSize));
        }
        await using (var admin = Open())
        {
            await admin.Database.ExecuteSqlRawAsync(AddColumn);
        }

        Assert.Empty(await PollAsync(db => OutboxBatches.Pending(db, BatchSize)));
    }

    /// <summary>The control: the same query unwrapped (<c>SELECT *</c> as the whole statement) fails exactly there.</summary>
    [Fact]
    public async Task The_same_query_as_a_bare_select_star_fails_once_prepared()
    {
        static IQueryable<OutboxMessage> Bare(ServiceDbContext db) => db.OutboxMessages.FromSqlRaw(
            """SELECT * FROM "OutboxMessages" WHERE "PublishedAt" IS NULL ORDER BY "Sequence" LIMIT {0} FOR UPDATE SKIP LOCKED""", BatchSize);
        for (var poll = 0; poll < 3; poll++)
        {
            await PollAsync(Bare);
        }
        await using (var admin = Open())
        {
            await admin.Database.ExecuteSqlRawAsync(AddColumn);
        }

        var failure = await Assert.ThrowsAsync<PostgresException>(() => PollAsync(Bare));
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, failure.SqlState); // 0A000: cached plan must not change result type
    }

    /// <summary>One relay poll: the batch read in its own transaction, as the relay reads it.</summary>
    private async Task<List<OutboxMessage>> PollAsync(Func<ServiceDbContext, IQueryable<OutboxMessage>> batch)
    {
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var rows = await batch(db).ToListAsync();
        await transaction.CommitAsync();
        return rows;
    }
}
