using System.Globalization;
using System.Text.RegularExpressions;

namespace ExamReview.LoadGenerator;

/// <summary>
/// PostgreSQL's own count of the run's statements (<c>pg_stat_statements</c>, which scripts/infra.sh loads): how many
/// statements of each shape each service sent in the measured phase and how long the server spent executing them.
/// PostgreSQL was the largest single consumer of CPU per upload (session 14: 37 ms), and its CPU follows round trips
/// more than rows, so the report turns these into statements per upload. The query is in DatabaseStatements.Query.cs,
/// apart from this arithmetic so the tests compile it without Npgsql.
/// </summary>
internal static partial class DatabaseStatements
{
    /// <summary>One statement shape of one database: cumulative calls, execution milliseconds and rows.</summary>
    public sealed record Statement(string Database, long QueryId, string Query, long Calls, double ExecutionMs, long Rows);

    /// <summary>One shape's share of the measured phase.</summary>
    public sealed record Figure(string Service, string Query, long Calls, double ExecutionMs, long Rows);

    /// <summary>
    /// What each shape did between the two counts, busiest first. A shape first seen in <paramref name="after"/> counts
    /// whole; one whose counters went down (the entry was evicted and came back) counts from zero, as new.
    /// </summary>
    public static IReadOnlyList<Figure> Delta(IReadOnlyList<Statement> before, IReadOnlyList<Statement> after, string prefix)
    {
        // pg_stat_statements keeps a row per user and nesting level too: one shape of one database is their sum.
        before = Merge(before);
        after = Merge(after);
        var earlier = before.ToDictionary(s => (s.Database, s.QueryId));
        var figures = new List<Figure>();
        foreach (var now in after)
        {
            var then = earlier.TryGetValue((now.Database, now.QueryId), out var found) && found.Calls <= now.Calls ? found : null;
            var calls = now.Calls - (then?.Calls ?? 0);
            if (calls > 0)
            {
                figures.Add(new Figure(Service(now.Database, prefix), OneLine(now.Query), calls, now.ExecutionMs - (then?.ExecutionMs ?? 0), now.Rows - (then?.Rows ?? 0)));
            }
        }
        return figures.OrderByDescending(f => f.ExecutionMs).ThenByDescending(f => f.Calls).ToList();
    }

    private static List<Statement> Merge(IReadOnlyList<Statement> statements) =>
        statements.GroupBy(s => (s.Database, s.QueryId))
            .Select(g => new Statement(g.Key.Database, g.Key.QueryId, g.First().Query, g.Sum(s => s.Calls), g.Sum(s => s.ExecutionMs), g.Sum(s => s.Rows)))
            .ToList();

    public static void Print(IReadOnlyList<Figure>? figures, long verdicts, Action<string> say, int top = 15)
    {
        if (figures is null)
        {
            say("PostgreSQL statements: n/a (the server does not load pg_stat_statements; scripts/infra.sh starts one that does)");
            return;
        }
        if (verdicts == 0 || figures.Count == 0)
        {
            return;
        }
        double PerUpload(double value) => value / verdicts;
        var work = figures.Where(f => !IsReset(f.Query)).ToList();
        say(string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL statements in the load phase (pg_stat_statements; execution time inside the server, not all of its CPU): " +
            $"{PerUpload(work.Sum(f => f.Calls)):F1} statements and {PerUpload(work.Sum(f => f.ExecutionMs)):F2} ms executing per validated upload, " +
            $"besides {PerUpload(Resets(figures)):F1} connection resets"));
        foreach (var service in figures.GroupBy(f => f.Service).OrderByDescending(g => g.Sum(f => f.Calls)))
        {
            var statements = service.Where(f => !IsReset(f.Query)).ToList();
            say(string.Create(CultureInfo.InvariantCulture,
                $"  {service.Key,-18} {PerUpload(statements.Sum(f => f.Calls)),6:F1} statements/upload  {PerUpload(statements.Sum(f => f.ExecutionMs)),6:F2} ms/upload  " +
                $"transactions (COMMIT) {PerUpload(statements.Where(f => f.Query.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)).Sum(f => f.Calls)),4:F1}/upload  " +
                $"connection resets {PerUpload(Resets(service)),4:F1}/upload"));
        }
        say($"  the {Math.Min(top, work.Count)} busiest shapes (per validated upload: calls, execution ms; ms per call; rows per call):");
        foreach (var f in work.Take(top))
        {
            say(string.Create(CultureInfo.InvariantCulture,
                $"    {f.Service,-18} {PerUpload(f.Calls),5:F2} calls {PerUpload(f.ExecutionMs),6:F3} ms  {f.ExecutionMs / f.Calls,6:F3} ms/call  {(double)f.Rows / f.Calls,5:F1} rows  {Shorten(f.Query, 110)}"));
        }
    }

    /// <summary>
    /// What Npgsql sends when a pooled connection is taken again (one round trip, ahead of the next command): DISCARD
    /// ALL, or, on a connection holding prepared statements, the seven statements that reset all but those. Counted
    /// apart, as resets, so that preparing statements does not read as more work.
    /// </summary>
    public static bool IsReset(string query) => query is "DISCARD ALL" or "DISCARD TEMP" or "DISCARD SEQUENCES" or "CLOSE ALL" or "UNLISTEN *"
        or "SET SESSION AUTHORIZATION DEFAULT" or "SELECT pg_advisory_unlock_all()" or "RESET ALL";

    /// <summary>Connection resets: each ends with one DISCARD ALL or one RESET ALL.</summary>
    private static long Resets(IEnumerable<Figure> figures) => figures.Where(f => f.Query is "DISCARD ALL" or "RESET ALL").Sum(f => f.Calls);

    /// <summary>The service a run database belongs to: <c>er_load_123_materialstorage</c> → <c>materialstorage</c>.</summary>
    public static string Service(string database, string prefix) =>
        database.StartsWith(prefix + "_", StringComparison.Ordinal) ? database[(prefix.Length + 1)..] : database;

    /// <summary>A statement on one line, its whitespace collapsed, cut at <paramref name="length"/> characters.</summary>
    public static string Shorten(string query, int length) => query.Length <= length ? query : string.Concat(query.AsSpan(0, length - 1), "…");

    private static string OneLine(string query) => Whitespace().Replace(query, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
