using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.Persistence;

/// <summary>
/// Something to do once a save is committed and never before: <see cref="Note"/> looks at what a SaveChanges is about
/// to write and keeps it on the context; <see cref="Committed"/> acts on it right after SaveChanges when no
/// transaction is open, else when the transaction that saved it commits (whoever is told earlier would read the old
/// rows); <see cref="Forget"/> drops it when the transaction rolls back or fails, a SaveChanges outside one fails, or a
/// save outside a transaction finds something still noted (from a transaction disposed after a failure). The outbox
/// relays' wake-up and the SQLite candidate pages' change signal are two of these; the bookkeeping lives here once.
/// </summary>
public abstract class AfterCommitInterceptor : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Called before every SaveChanges: remember what it writes (on the context; interceptors are shared).</summary>
    protected abstract void Note(DbContext context);

    /// <summary>What was noted is committed: act on it and clear it.</summary>
    protected abstract void Committed(DbContext context);

    /// <summary>What was noted will never be committed: clear it.</summary>
    protected abstract void Forget(DbContext context);

    /// <summary>
    /// A singleton of the application that built the context (signals live there, not in the context's own provider);
    /// null for a context built without one, such as the migration tool's.
    /// </summary>
    protected static T? ApplicationService<T>(DbContext context) where T : class =>
        context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<T>();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        NoteIn(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        NoteIn(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // A commit or rollback that failed: what was noted is not committed.
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => ForgetIn(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIn(eventData.Context);
        return Task.CompletedTask;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        CommittedUnlessInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        CommittedUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetUnlessInTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetUnlessInTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => CommittedIn(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CommittedIn(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => ForgetIn(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIn(eventData.Context);
        return Task.CompletedTask;
    }

    private void NoteIn(DbContext? context)
    {
        if (context is not null)
        {
            // Outside a transaction nothing noted can still be waiting for a commit: what is left came from a transaction
            // disposed after a failure (no commit or rollback event), perhaps in an earlier lease of a pooled context.
            // Not done when a transaction starts: SaveChanges' own transaction starts after this note.
            if (context.Database.CurrentTransaction is null)
            {
                Forget(context);
            }
            Note(context);
        }
    }

    private void CommittedIn(DbContext? context)
    {
        if (context is not null)
        {
            Committed(context);
        }
    }

    private void ForgetIn(DbContext? context)
    {
        if (context is not null)
        {
            Forget(context);
        }
    }

    // A SaveChanges inside an explicit transaction is not committed yet: the transaction's end decides.
    private void CommittedUnlessInTransaction(DbContext? context)
    {
        if (context is { Database.CurrentTransaction: null })
        {
            Committed(context);
        }
    }

    private void ForgetUnlessInTransaction(DbContext? context)
    {
        if (context is { Database.CurrentTransaction: null })
        {
            Forget(context);
        }
    }
}
