using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>
/// A test class whose every test owns a fresh database on the collection's PostgreSQL server
/// (<see cref="ScratchDatabase.PooledOnPostgres"/>): migrated through <see cref="Open"/> before the test, dropped after it.
/// </summary>
public abstract class FreshPostgresDatabaseTests(PostgresContainer server, string prefix) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = ScratchDatabase.PooledOnPostgres(server.ConnectionString, prefix);

    /// <summary>The test's database, its connections pooled; <paramref name="settings"/> sizes or tunes the pool.</summary>
    protected string ConnectionString(Action<NpgsqlConnectionStringBuilder>? settings = null) =>
        settings is null ? _database.ConnectionString : _database.With(settings);

    /// <summary>A context on the test's database: the one whose migrations build it.</summary>
    protected abstract DbContext Open();

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools(); // the test's pooled connections go before their database does
        await _database.DisposeAsync();
    }
}
