using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Seals again, under the current key, the personal data sealed under a retired key of the ring, so that a rotation
/// ends: add the new key → make it current → restart → (this runs) → remove the old key. Also encrypts correction-history
/// values written before encryption (registrations' own are <see cref="IdNumberBackfill"/>'s). Rows are found by their
/// stored form (a retired key's id before the colon; no colon at all), so values under a key the ring does not hold are
/// never selected (they cannot be opened, and sealing what did not open would destroy them). Each batch reads the rows,
/// marks the values as written and saves: the converter seals them under the current key, and they are not selected
/// again, so the run ends. Idempotent, and safe beside a replica doing the same.
/// </summary>
public static class PersonalDataResealing
{
    public const int DefaultBatchSize = 500;

    /// <summary>How many registrations and correction records this run sealed again.</summary>
    public sealed record Outcome(int Registrations, int Corrections);

    public static async Task<Outcome> RunAsync(IServiceProvider services, int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var protector = services.GetRequiredService<IdNumberProtector>();
        var retired = protector.RetiredKeyIds;
        var registrations = retired.Count == 0 ? 0 : await ResealAsync(
            services,
            Select("Registrations", batchSize, (q, sql) => SealedUnder(q, sql, retired, "IdNumber")),
            (db, ids) => db.Registrations.Where(r => ids.Contains(r.Id)).ToListAsync(ct),
            (db, registration) => db.Entry(registration).Property(r => r.IdNumber).IsModified = true,
            ct);
        var corrections = await ResealAsync(
            services,
            Select("RegistrationCorrections", batchSize, (q, sql) =>
            {
                sql.Append("\"OldValue\" NOT LIKE '%:%' OR \"NewValue\" NOT LIKE '%:%'");
                SealedUnder(q, sql.Append(" OR "), retired, "OldValue");
                SealedUnder(q, sql.Append(" OR "), retired, "NewValue");
            }),
            (db, ids) => db.Corrections.Where(c => ids.Contains(c.Id)).ToListAsync(ct),
            (db, correction) =>
            {
                db.Entry(correction).Property(c => c.OldValue).IsModified = true;
                db.Entry(correction).Property(c => c.NewValue).IsModified = true;
            },
            ct);
        return new Outcome(registrations, corrections);
    }

    private sealed record Selection(string Sql, object[] Parameters);

    /// <summary>
    /// <c>SELECT "Id" … WHERE &lt;condition&gt; ORDER BY "Id" LIMIT n</c>. substr and LIKE read the same in PostgreSQL and
    /// SQLite; only strings and integers are bound (a Guid parameter compares differently with SQLite's text ids), so
    /// the query finds ids and LINQ loads their rows.
    /// </summary>
    private static Selection Select(string table, int batchSize, Action<List<object>, StringBuilder> condition)
    {
        var parameters = new List<object>();
        var sql = new StringBuilder().Append(CultureInfo.InvariantCulture, $"SELECT \"Id\" AS \"Value\" FROM \"{table}\" WHERE (");
        condition(parameters, sql);
        sql.Append(CultureInfo.InvariantCulture, $") ORDER BY \"Id\" LIMIT {{{parameters.Count}}}");
        parameters.Add(batchSize);
        return new Selection(sql.ToString(), [.. parameters]);
    }

    // A value sealed under one of these keys begins with its id and a colon; "1 = 0" when the ring has retired none.
    private static void SealedUnder(List<object> parameters, StringBuilder sql, IReadOnlyList<string> keyIds, string column)
    {
        if (keyIds.Count == 0)
        {
            sql.Append("1 = 0");
            return;
        }
        for (var i = 0; i < keyIds.Count; i++)
        {
            var prefix = IdNumberProtector.StoredPrefix(keyIds[i]);
            sql.Append(i == 0 ? "" : " OR ")
                .Append(CultureInfo.InvariantCulture, $"substr(\"{column}\", 1, {{{parameters.Count}}}) = {{{parameters.Count + 1}}}");
            parameters.Add(prefix.Length);
            parameters.Add(prefix);
        }
    }

    private static async Task<int> ResealAsync<T>(
        IServiceProvider services,
        Selection selection,
        Func<RegistrationDbContext, List<Guid>, Task<List<T>>> load,
        Action<RegistrationDbContext, T> markWritten,
        CancellationToken ct)
        where T : class
    {
        var sealedAgain = 0;
        var conflicts = 0;
        Guid? previousFirst = null;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            var ids = await db.Database.SqlQueryRaw<Guid>(selection.Sql, selection.Parameters).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return sealedAgain;
            }
            if (ids[0] == previousFirst)
            {
                // A saved batch that is selected again would loop for ever: the stored form is not what this expects.
                throw new InvalidOperationException($"Row {ids[0]} still reads as sealed under a retired key after it was sealed again.");
            }
            var rows = await load(db, ids);
            foreach (var row in rows)
            {
                markWritten(db, row);
            }
            try
            {
                await db.SaveChangesAsync(ct);
                sealedAgain += rows.Count;
                conflicts = 0;
                previousFirst = ids[0];
            }
            catch (DbUpdateConcurrencyException) when (++conflicts < 10)
            {
                // A correction or a replica wrote a row of this batch first: the batch is selected again without it.
                previousFirst = null;
            }
        }
    }
}
