using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Seals again, under the current key, the personal data sealed under a retired key of the ring, so that a rotation
/// ends: add the new key → make it current → restart → (this runs) → remove the old key once the log says it seals
/// nothing. Also encrypts correction-history values written before encryption (registrations' own are
/// <see cref="IdNumberBackfill"/>'s).
/// <para>
/// Rows are found by their stored form (a retired key's id before the colon; no colon at all), walked once in id order
/// (keyset pages, so a million rows cost one pass, not one scan per batch). Each stored value is opened first: a row
/// with a value that does not open (wrong key bytes configured, a damaged value) is counted and left as it is, since
/// sealing what did not open would destroy it. The rest are loaded, marked as written and saved: the converter seals
/// them under the current key. Idempotent, and safe beside a replica or a correction doing the same (a page that lost
/// a race is read again).
/// </para>
/// </summary>
public static class PersonalDataResealing
{
    public const int DefaultBatchSize = 500;

    /// <summary>
    /// What a run did: values sealed again, rows left because a value did not open, and how many rows each retired key
    /// still seals afterwards (a key may leave the ring only at zero).
    /// </summary>
    public sealed record Outcome(int Registrations, int Corrections, int Unopenable, IReadOnlyDictionary<string, long> StillSealedUnder)
    {
        public int SealedAgain => Registrations + Corrections;
    }

    private sealed record Table(string Name, string FirstColumn, string SecondColumn, bool PlaintextLegacy);

    private static readonly Table Registrations = new("Registrations", "IdNumber", "IdNumber", PlaintextLegacy: false);
    private static readonly Table Corrections = new("RegistrationCorrections", "OldValue", "NewValue", PlaintextLegacy: true);

    /// <summary>A row as stored, past the converter.</summary>
    private sealed class StoredRow
    {
        public Guid Id { get; set; }
        public string First { get; set; } = "";
        public string Second { get; set; } = "";
    }

    private sealed record Pass(int SealedAgain, int Unopenable);

    public static async Task<Outcome> RunAsync(IServiceProvider services, int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var protector = services.GetRequiredService<IdNumberProtector>();
        // Registrations written before encryption are the backfill's (found by their empty blind index).
        var registrations = protector.RetiredKeyIds.Count == 0 ? new Pass(0, 0) : await PassAsync(services, protector, Registrations, batchSize,
            (db, ids) => db.Registrations.Where(r => ids.Contains(r.Id)).ToListAsync(ct),
            (db, registration) => db.Entry(registration).Property(r => r.IdNumber).IsModified = true,
            ct);
        var corrections = await PassAsync(services, protector, Corrections, batchSize,
            (db, ids) => db.Corrections.Where(c => ids.Contains(c.Id)).ToListAsync(ct),
            (db, correction) =>
            {
                db.Entry(correction).Property(c => c.OldValue).IsModified = true;
                db.Entry(correction).Property(c => c.NewValue).IsModified = true;
            },
            ct);
        var still = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var keyId in protector.RetiredKeyIds)
        {
            still[keyId] = await CountSealedUnderAsync(services, Registrations, keyId, ct) + await CountSealedUnderAsync(services, Corrections, keyId, ct);
        }
        return new Outcome(registrations.SealedAgain, corrections.SealedAgain, registrations.Unopenable + corrections.Unopenable, still);
    }

    private static async Task<Pass> PassAsync<T>(
        IServiceProvider services,
        IdNumberProtector protector,
        Table table,
        int batchSize,
        Func<RegistrationDbContext, List<Guid>, Task<List<T>>> load,
        Action<RegistrationDbContext, T> markWritten,
        CancellationToken ct)
        where T : class
    {
        var sealedAgain = 0;
        var unopenable = 0;
        var conflicts = 0;
        var after = Guid.Empty;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            var page = await StalePageAsync(db, protector, table, after, batchSize, ct);
            if (page.Count == 0)
            {
                return new Pass(sealedAgain, unopenable);
            }
            var openable = page.Where(row => Opens(protector, row.First) && Opens(protector, row.Second)).Select(row => row.Id).ToList();
            var rows = await load(db, openable);
            foreach (var row in rows)
            {
                markWritten(db, row);
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (++conflicts < 10)
            {
                // A correction or a replica wrote a row of this page first: the page is read again (ten in a row end the run).
                continue;
            }
            conflicts = 0;
            sealedAgain += rows.Count;
            unopenable += page.Count - openable.Count;
            after = page[^1].Id;
        }
    }

    private static bool Opens(IdNumberProtector protector, string stored)
    {
        try
        {
            protector.Unprotect(stored);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The next rows after <paramref name="after"/> in id order holding a value under a retired key (or, where the table
    /// has them, a value from before encryption). substr and LIKE read the same in PostgreSQL and SQLite; the id is
    /// bound as text in the provider's own spelling (PostgreSQL's uuid, SQLite's upper-case text).
    /// </summary>
    private static async Task<List<StoredRow>> StalePageAsync(RegistrationDbContext db, IdNumberProtector protector, Table table, Guid after, int batchSize, CancellationToken ct)
    {
        var parameters = new List<object> { db.IsSqlite ? after.ToString().ToUpperInvariant() : after.ToString() };
        var stale = new List<string>();
        foreach (var column in new[] { table.FirstColumn, table.SecondColumn }.Distinct(StringComparer.Ordinal))
        {
            if (table.PlaintextLegacy)
            {
                // A sealed value always holds its key id's colon; a value written before encryption never does.
                stale.Add($"\"{column}\" NOT LIKE '%:%'");
            }
            foreach (var keyId in protector.RetiredKeyIds)
            {
                stale.Add(SealedUnder(column, keyId, parameters));
            }
        }
        if (stale.Count == 0)
        {
            return [];
        }
        var idAfter = db.IsSqlite ? "\"Id\" > {0}" : "\"Id\" > CAST({0} AS uuid)";
        var sql = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"SELECT \"Id\", \"{table.FirstColumn}\" AS \"First\", \"{table.SecondColumn}\" AS \"Second\" FROM \"{table.Name}\" ")
            .Append(CultureInfo.InvariantCulture, $"WHERE {idAfter} AND ({string.Join(" OR ", stale)}) ORDER BY \"Id\" LIMIT {{{parameters.Count}}}");
        parameters.Add(batchSize);
        return await db.Database.SqlQueryRaw<StoredRow>(sql.ToString(), [.. parameters]).ToListAsync(ct);
    }

    private static async Task<long> CountSealedUnderAsync(IServiceProvider services, Table table, string keyId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var parameters = new List<object>();
        var first = SealedUnder(table.FirstColumn, keyId, parameters);
        var second = SealedUnder(table.SecondColumn, keyId, parameters);
        // Table and column names are this class's constants; the key id is bound.
        var sql = $"SELECT count(*) AS \"Value\" FROM \"{table.Name}\" WHERE {first} OR {second}";
        return await db.Database.SqlQueryRaw<long>(sql, [.. parameters]).SingleAsync(ct);
    }

    // A value sealed under the key begins with its id and a colon (so k1 is not k10).
    private static string SealedUnder(string column, string keyId, List<object> parameters)
    {
        var prefix = IdNumberProtector.StoredPrefix(keyId);
        parameters.Add(prefix.Length);
        parameters.Add(prefix);
        return string.Create(CultureInfo.InvariantCulture, $"substr(\"{column}\", 1, {{{parameters.Count - 2}}}) = {{{parameters.Count - 1}}}");
    }
}
