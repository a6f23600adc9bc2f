using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// What a migrated database actually holds, read from the database's own catalog (not from EF's model): tables,
/// columns with nullability, primary keys, indexes with their columns and uniqueness, and foreign keys. Printed as
/// sorted lines so two schemas compare line by line.
/// </summary>
public static class DatabaseSchema
{
    public static async Task<IReadOnlyList<string>> DescribeAsync(DbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            return db.Database.IsNpgsql() ? await PostgreSqlAsync(connection) : await SqliteAsync(connection);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<IReadOnlyList<string>> PostgreSqlAsync(DbConnection connection)
    {
        var lines = new List<string>();
        lines.AddRange(await QueryAsync(connection, """
            SELECT 'column ' || table_name || '.' || column_name || (CASE WHEN is_nullable = 'YES' THEN ' null' ELSE ' not-null' END)
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """));
        lines.AddRange(await QueryAsync(connection, """
            SELECT (CASE WHEN ix.indisprimary THEN 'primary-key ' WHEN ix.indisunique THEN 'unique-index ' ELSE 'index ' END)
                   || t.relname || '(' || string_agg(a.attname, ',' ORDER BY k.ordinality) || ')'
            FROM pg_index ix
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
            CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ordinality)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE t.relname <> '__EFMigrationsHistory'
            GROUP BY ix.indexrelid, ix.indisprimary, ix.indisunique, t.relname
            """));
        lines.AddRange(await QueryAsync(connection, """
            SELECT 'foreign-key ' || tc.table_name || '(' || kcu.column_name || ') -> ' || ccu.table_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'
            """));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<IReadOnlyList<string>> SqliteAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '!_!_EF%' ESCAPE '!'");
        foreach (var table in tables)
        {
            var primaryKey = new SortedDictionary<int, string>();
            foreach (var row in await RowsAsync(connection, $"PRAGMA table_info(\"{table}\")"))
            {
                // cid, name, type, notnull, dflt_value, pk
                var nullable = Convert.ToInt64(row[3], System.Globalization.CultureInfo.InvariantCulture) == 0 && Convert.ToInt64(row[5], System.Globalization.CultureInfo.InvariantCulture) == 0;
                lines.Add($"column {table}.{row[1]}{(nullable ? " null" : " not-null")}");
                var pk = Convert.ToInt32(row[5], System.Globalization.CultureInfo.InvariantCulture);
                if (pk > 0)
                {
                    primaryKey[pk] = (string)row[1]!;
                }
            }
            lines.Add($"primary-key {table}({string.Join(',', primaryKey.Values)})");
            foreach (var index in await RowsAsync(connection, $"PRAGMA index_list(\"{table}\")"))
            {
                // seq, name, unique, origin (c = CREATE INDEX, u = UNIQUE constraint, pk), partial
                if ((string)index[3]! == "pk")
                {
                    continue;
                }
                var columns = (await RowsAsync(connection, $"PRAGMA index_info(\"{index[1]}\")")).OrderBy(c => Convert.ToInt64(c[0], System.Globalization.CultureInfo.InvariantCulture)).Select(c => (string)c[2]!);
                var unique = Convert.ToInt64(index[2], System.Globalization.CultureInfo.InvariantCulture) == 1;
                lines.Add($"{(unique ? "unique-index" : "index")} {table}({string.Join(',', columns)})");
            }
            foreach (var foreignKey in await RowsAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")"))
            {
                // id, seq, table, from, to, ...
                lines.Add($"foreign-key {table}({foreignKey[3]}) -> {foreignKey[2]}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> QueryAsync(DbConnection connection, string sql) =>
        (await RowsAsync(connection, sql)).Select(r => Convert.ToString(r[0], System.Globalization.CultureInfo.InvariantCulture)!).ToList();

    private static async Task<List<object?[]>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    public static string Render(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }
}
