using System.Data.Common;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the outbox relays once outbox rows are in the database: right after SaveChanges when no transaction is
/// open, else when the transaction that saved them commits (a relay woken earlier would not see them yet). Every
/// service context carries it (<see cref="ServiceDbContext"/>), so handlers and consumers never pass the wake-up
/// around. The signal is the application's singleton, found through the context's service provider; a context built
/// without one (a migration tool) simply wakes nobody.
/// </summary>
internal sealed class OutboxWakeInterceptor : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly OutboxWakeInterceptor Instance = new();

    private OutboxWakeInterceptor()
    {
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        NoteOutboxRows(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        NoteOutboxRows(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfNoTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfNoTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wake(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private static void NoteOutboxRows(DbContext? context)
    {
        if (context is ServiceDbContext service && service.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            service.OutboxRowsAwaitingCommit = true;
        }
    }

    private static void WakeIfCommitted(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Wake(context);
        }
    }

    private static void Wake(DbContext? context)
    {
        if (context is ServiceDbContext { OutboxRowsAwaitingCommit: true } service)
        {
            service.OutboxRowsAwaitingCommit = false;
            var application = service.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
            application?.GetService<OutboxSignal>()?.Notify();
        }
    }

    private static void ForgetIfNoTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Forget(context);
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is ServiceDbContext service)
        {
            service.OutboxRowsAwaitingCommit = false;
        }
    }
}
