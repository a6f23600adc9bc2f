using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ServiceDefaults.Persistence;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// The services' pooled connections go back to the pool without Npgsql's reset (<c>No Reset On Close</c>, see
/// <see cref="DatabaseExtensions.TunedForServices"/>). On a real server, through a pool of one connection so every
/// open gets the same one back: what a request left unfinished is still undone, and what the reset would have undone
/// (a session setting) is not.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ServiceConnectionReusePostgresTests(PostgresContainer server) : IAsyncLifetime
{
    private readonly string _database = $"er_reuse_{Guid.NewGuid():N}"[..22];
    private string _connection = "";

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await Execute(admin, $"CREATE DATABASE {_database}");
        }
        _connection = DatabaseExtensions.TunedForServices(new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = _database,
            MaxPoolSize = 1,
        }.ConnectionString);
        await using var connection = await OpenAsync();
        await Execute(connection, "CREATE TABLE notes (id int PRIMARY KEY)");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    [Fact]
    public async Task A_transaction_left_open_is_rolled_back_when_its_connection_goes_back_to_the_pool()
    {
        int firstBackend;
        await using (var connection = await OpenAsync())
        {
            firstBackend = await BackendAsync(connection);
            await LeaveTransactionOpenAsync(connection, "INSERT INTO notes VALUES (1)"); // a request that failed or was cancelled halfway
        }

        await using var next = await OpenAsync();
        Assert.Equal(firstBackend, await BackendAsync(next)); // the same server session, not a new one
        // Still inside that transaction, this session would see its own insert.
        Assert.Equal(0L, await ScalarAsync<long>(next, "SELECT count(*) FROM notes"));
    }

    [Fact]
    public async Task A_failed_transaction_does_not_poison_the_next_lease()
    {
        await using (var connection = await OpenAsync())
        {
            // 23505 inside the transaction: it is aborted, and any statement but a rollback would fail.
            await LeaveTransactionOpenAsync(connection, "INSERT INTO notes VALUES (2)", "INSERT INTO notes VALUES (2)");
        }

        await using var next = await OpenAsync();
        await Execute(next, "INSERT INTO notes VALUES (3)");
        Assert.Equal(1L, await ScalarAsync<long>(next, "SELECT count(*) FROM notes"));
    }

    /// <summary>
    /// The price of skipping the reset, and why the services never change session settings: a plain <c>SET</c> would
    /// reach whoever leases the connection next. A <c>SET LOCAL</c> ends with its transaction.
    /// </summary>
    [Fact]
    public async Task A_session_setting_survives_the_lease_and_a_transaction_local_one_does_not()
    {
        await using (var connection = await OpenAsync())
        {
            await Execute(connection, "SET lock_timeout = '7s'");
            await using var transaction = await connection.BeginTransactionAsync();
            await Execute(connection, "SET LOCAL statement_timeout = '9s'");
            await transaction.CommitAsync();
        }

        await using var next = await OpenAsync();
        Assert.Equal("7s", await ScalarAsync<string>(next, "SHOW lock_timeout"));
        Assert.Equal("0", await ScalarAsync<string>(next, "SHOW statement_timeout"));
    }

    /// <summary>
    /// Runs <paramref name="sql"/> in a transaction, then <paramref name="failing"/> (a statement that fails and aborts
    /// the transaction) if given, and closes the connection with the transaction still open.
    /// </summary>
    private static async Task LeaveTransactionOpenAsync(NpgsqlConnection connection, string sql, string? failing = null)
    {
        var transaction = await connection.BeginTransactionAsync();
        try
        {
            await Execute(connection, sql);
            if (failing is not null)
            {
                await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, failing));
            }
            await connection.CloseAsync();
        }
        finally
        {
            await transaction.DisposeAsync(); // after the close: nothing left to roll back here
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        return connection;
    }

    private static Task<int> BackendAsync(NpgsqlConnection connection) => ScalarAsync<int>(connection, "SELECT pg_backend_pid()");

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
