using Npgsql;

namespace ExamReview.LoadGenerator;

internal static partial class DatabaseStatements
{
    /// <summary>
    /// The cumulative counters of the run's databases (<paramref name="prefix"/>_*), or null when the server does not
    /// load pg_stat_statements (a server not started by scripts/infra.sh).
    /// </summary>
    public static async Task<IReadOnlyList<Statement>?> TakeAsync(Servers servers, string prefix)
    {
        await using var source = NpgsqlDataSource.Create(servers.Database("postgres"));
        await using var connection = await source.OpenConnectionAsync();
        await using (var loaded = new NpgsqlCommand("SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'", connection))
        {
            if (await loaded.ExecuteScalarAsync() is not true)
            {
                return null;
            }
        }
        await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using var select = new NpgsqlCommand(
            """
            SELECT d.datname, s.queryid, s.query, s.calls, s.total_exec_time, s.rows
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname LIKE @prefix AND s.queryid IS NOT NULL
            """, connection);
        select.Parameters.AddWithValue("prefix", prefix.Replace("_", "\\_", StringComparison.Ordinal) + "\\_%");
        var statements = new List<Statement>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statements.Add(new Statement(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetInt64(5)));
        }
        return statements;
    }
}
