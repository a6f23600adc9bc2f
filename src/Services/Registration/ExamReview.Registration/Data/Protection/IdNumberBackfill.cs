using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Encrypts the ID numbers of registrations written before encryption: their column holds the plaintext and their blind
/// index is empty, which is how they are found (every write since sets the index). Each batch reads the rows (the
/// converter passes a value without a key id through), marks the number as written and saves: the converter encrypts it
/// under the current key and the context computes its index. Idempotent — an encrypted row has an index and is never
/// selected again — and safe beside a replica doing the same (a row another writer changed first is simply left to it).
/// </summary>
public static class IdNumberBackfill
{
    public const int DefaultBatchSize = 200;

    /// <summary>Runs until no legacy row is left; returns how many rows this run encrypted.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, int batchSize, CancellationToken ct)
    {
        var encrypted = 0;
        var conflicts = 0;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            var batch = await db.Registrations
                .Where(r => EF.Property<string?>(r, RegistrationDbContext.IdNumberIndexColumn) == null)
                .OrderBy(r => r.Id)
                .Take(batchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return encrypted;
            }
            foreach (var registration in batch)
            {
                db.Entry(registration).Property(r => r.IdNumber).IsModified = true;
            }
            await ClaimUnheldAsync(db, batch, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                encrypted += batch.Count;
                conflicts = 0;
            }
            catch (DbUpdateException ex) when (ex.IsLostRace() && ++conflicts < 10)
            {
                // Another writer (a correction, a replica's backfill) changed a row of this batch or claimed one of its
                // numbers first: the batch is read again, without the rows that writer encrypted. Ten conflicts in a row
                // end the run (the next start goes on).
            }
        }
    }

    // The claims migration could claim only numbers that had an index; these rows get theirs now, so each number nobody
    // holds in its year is claimed by its earliest registration (as the migration did), and a later one holds nothing.
    private static async Task ClaimUnheldAsync(RegistrationDbContext db, List<CandidateRegistration> batch, CancellationToken ct)
    {
        var claimed = new HashSet<(int, string)>();
        foreach (var registration in batch.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id))
        {
            var index = db.IdNumberIndexOf(registration.IdNumber);
            if (claimed.Add((registration.ExamYear, index)) && await db.IdNumberHolderAsync(registration.ExamYear, registration.IdNumber, ct) is null
                && !await db.IdNumberClaims.AnyAsync(c => c.RegistrationId == registration.Id, ct))
            {
                db.IdNumberClaims.Add(new IdNumberClaim
                {
                    ExamYear = registration.ExamYear, IdNumberIndex = index, RegistrationId = registration.Id, ClaimedAt = registration.CreatedAt,
                });
            }
        }
    }
}
