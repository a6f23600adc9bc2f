using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Data;

/// <summary>
/// Saves a unit of work together with the aggregates kept beside the cases — the counts per state
/// (<see cref="CaseCountDeltas"/>) and the wait histograms (<see cref="DurationHistogramDeltas"/>) — in one
/// transaction, so concurrent decisions never lose an increment and a rolled-back change leaves them as they were.
/// Cases are only ever changed through tracked entities (no bulk update touches the columns these read).
/// </summary>
internal static class CaseAggregates
{
    public static async Task<int> SaveAsync(DbContext db, Func<CancellationToken, Task<int>> save, CancellationToken ct)
    {
        var statements = Statements(db);
        if (statements.Count == 0)
        {
            return await save(ct);
        }
        await using var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var saved = await save(ct);
        foreach (var (sql, arguments) in statements)
        {
            await db.Database.ExecuteSqlRawAsync(sql, arguments, ct);
        }
        if (owned is not null)
        {
            await owned.CommitAsync(ct);
        }
        return saved;
    }

    public static int Save(DbContext db, Func<int> save)
    {
        var statements = Statements(db);
        if (statements.Count == 0)
        {
            return save();
        }
        using var owned = db.Database.CurrentTransaction is null ? db.Database.BeginTransaction() : null;
        var saved = save();
        foreach (var (sql, arguments) in statements)
        {
            db.Database.ExecuteSqlRaw(sql, arguments);
        }
        owned?.Commit();
        return saved;
    }

    /// <summary>
    /// The upserts, read from the change tracker before the save (which accepts the changes). Each table's rows go in
    /// key order, and always counts before histograms, so two transactions touching the same rows never wait on each
    /// other in a cycle.
    /// </summary>
    private static List<(string Sql, object[] Arguments)> Statements(DbContext db)
    {
        var statements = new List<(string, object[])>();
        foreach (var ((area, site, state), delta) in CaseCountDeltas.From(db.ChangeTracker)
                     .OrderBy(d => d.Key.Area, StringComparer.Ordinal).ThenBy(d => d.Key.Site, StringComparer.Ordinal).ThenBy(d => d.Key.State))
        {
            statements.Add((CaseCountDeltas.Upsert, [area, site, (int)state, delta]));
        }
        foreach (var (key, (count, flagged)) in DurationHistogramDeltas.From(db.ChangeTracker)
                     .OrderBy(d => d.Key.Day).ThenBy(d => d.Key.AreaCode, StringComparer.Ordinal).ThenBy(d => d.Key.Measure).ThenBy(d => d.Key.Bucket))
        {
            statements.Add((DurationHistogramDeltas.Upsert, [key.Day, key.AreaCode, (short)key.Measure, key.Bucket, count, flagged]));
        }
        return statements;
    }
}
