using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// Runs a candidate's write against the application aggregate and commits it with its messages. Every write
/// bumps the application's optimistic <see cref="MaterialApplication.Version"/>, so two writes racing on one
/// application (a browser sending several files at once, or an upload racing 提交审核) cannot both commit what
/// they decided on the same read. On PostgreSQL the pass that commits locks the application's row first
/// (<c>FOR NO KEY UPDATE</c>): it waits for the writes ahead of it, reads what they left, and the aggregate decides on
/// that (parallel uploads of different files all land; the last slot or a submitted application refuses).
/// A write with slow work before its decision (reading, normalising and storing a file) rehearses it first on an
/// unlocked read, so the row is never locked across that work. Until session 15 the first pass was optimistic
/// instead: five of a browser's six parallel uploads lost it, rolled back and went again (1.86 image inserts and
/// 1.18 rollbacks per upload in the load run at 6 uploads/s; issue 19). On SQLite, one writer at a time, a lost race is simply
/// decided again on a fresh read.
/// </summary>
public static class ApplicationWrites
{
    /// <summary>
    /// Passes a write gets when other writes to the same application keep committing first. Each lost pass means
    /// another write committed, so a candidate sending all of their 5–10 images at once always gets through.
    /// </summary>
    public const int MaxWriteAttempts = 10;

    /// <summary>
    /// Loads the application fresh on each pass and lets <paramref name="decide"/> ask the aggregate; a refusal,
    /// or any failure of the write (commit, lock wait, reload, cancellation), runs <paramref name="abandon"/> (remove
    /// an object stored for the write) and is returned or rethrown. With <paramref name="rehearseFirst"/>,
    /// <paramref name="decide"/> does its slow work (kept by the caller for the next pass) on an unlocked, untracked
    /// read whose decision is only used if it refuses. A race lost every time surfaces as DbUpdateConcurrencyException, a 409 concurrent_change problem.
    /// An application that is not here refuses as <see cref="ApplicationArrival"/> says (not found, or on its way).
    /// </summary>
    public static async Task<Refusal?> WriteWithRetriesAsync(
        MaterialStorageDbContext db,
        CatalogStore catalogs,
        Guid candidateId,
        TimeProvider clock,
        bool rehearseFirst,
        Func<ApplicationContext, Task<Decision>> decide,
        Func<Task> abandon,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var rehearsal = attempt == 1 && rehearseFirst && !db.IsSqlite;
            Refusal? refused;
            try
            {
                // Disposed at the end of the pass: rolled back unless CommitAsync committed it.
                await using var queued = !db.IsSqlite && !rehearsal ? await QueueBehindOtherWritesAsync(db, candidateId, ct) : null;
                var context = await ApplicationContext.LoadAsync(db, catalogs, candidateId, tracking: !rehearsal, ct);
                var locksBefore = context?.Application.Locks();
                var decision = context is null ? await ApplicationArrival.MissingAsync(db, candidateId, clock.GetUtcNow(), ct) : await decide(context);
                refused = decision.Refusal;
                if (refused is null && rehearsal)
                {
                    continue; // the slow work is done; decide again under the lock
                }
                if (refused is null)
                {
                    db.PublishAll(decision.Events);
                    if (context!.Application.LocksChangedSince(locksBefore!) is { } locks)
                    {
                        db.Publish(locks);
                    }
                    await db.CommitAsync(ct);
                    return null;
                }
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                continue; // another write to this application committed first: decide again on what it left
            }
            catch (Exception)
            {
                // Whatever stopped the write (a failed commit, the client gone while the pass waited for the lock, a
                // timeout), the object the rehearsal stored must not outlive it.
                await abandon();
                throw;
            }
            await abandon();
            return refused;
        }
    }

    /// <summary>
    /// Opens the pass's transaction and waits for the application's row lock (the one every write's version bump
    /// takes), so the pass reads what the writes ahead of it committed and cannot lose a race. SQLite needs none: it
    /// runs one writer at a time.
    /// </summary>
    private static async Task<IDbContextTransaction> QueueBehindOtherWritesAsync(MaterialStorageDbContext db, Guid candidateId, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await ApplicationRowLock.ByCandidateAsync(db, candidateId, ct);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }
}
