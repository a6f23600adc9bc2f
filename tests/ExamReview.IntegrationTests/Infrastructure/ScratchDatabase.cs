using Npgsql;

namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>The providers each service has a migration set for.</summary>
public enum DatabaseProvider
{
    PostgreSql,
    Sqlite,
}

/// <summary>A database of its own for one test: a PostgreSQL database on the collection's server, or a SQLite file.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string? _server;
    private readonly string _name;

    private ScratchDatabase(DatabaseProvider provider, string connectionString, string name, string? server)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _name = name;
        _server = server;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static Task<ScratchDatabase> CreateAsync(DatabaseProvider provider, string server)
    {
        var name = "er_schema_" + Guid.NewGuid().ToString("N")[..12];
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), name + ".db");
            return Task.FromResult(new ScratchDatabase(provider, $"Data Source={file};Pooling=false", file, null));
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        return Task.FromResult(new ScratchDatabase(provider, connectionString, name, server));
    }

    /// <summary>
    /// A PostgreSQL database whose connections pool as the services' do (a test may size or tune the pool through
    /// <see cref="With"/>), named <paramref name="prefix"/> and a random tail, so the server's list says whose it is.
    /// Nothing is created yet: the test's first migration creates it.
    /// </summary>
    public static ScratchDatabase PooledOnPostgres(string server, string prefix)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..24];
        return new ScratchDatabase(DatabaseProvider.PostgreSql, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, name, server);
    }

    /// <summary>This database's connection string with the test's own settings (a pool size, the services' tuning).</summary>
    public string With(Action<NpgsqlConnectionStringBuilder> settings)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        settings(builder);
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            File.Delete(_name);
            return;
        }
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }
}
