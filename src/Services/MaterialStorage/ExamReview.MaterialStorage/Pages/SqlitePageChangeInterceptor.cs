using System.Data.Common;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ExamReview.MaterialStorage.Pages;

/// <summary>
/// On SQLite (the embedded run, one process) the context that saves tells <see cref="PageChanges"/> whose pages
/// changed, once the change is committed: right after SaveChanges when no transaction is open, else when the
/// transaction commits (a page woken earlier would read the old stamp). PostgreSQL's triggers do this job there.
/// </summary>
internal sealed class SqlitePageChangeInterceptor : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly SqlitePageChangeInterceptor Instance = new();

    private SqlitePageChangeInterceptor()
    {
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SignalIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Signal(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Signal(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfNoTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfNoTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The same rows the PostgreSQL triggers watch: applications, images, profile copies; catalogs and area settings for everyone.</summary>
    private static void Note(DbContext? context)
    {
        if (context is not MaterialStorageDbContext db)
        {
            return;
        }
        var pending = db.PendingPageChanges;
        var applications = db.ChangeTracker.Entries<MaterialApplication>().ToDictionary(e => e.Entity.Id, e => e.Entity.CandidateId);
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case MaterialApplication application:
                    pending.Candidates.Add(application.CandidateId);
                    break;
                case MaterialImage image when applications.TryGetValue(image.ApplicationId, out var candidateId):
                    pending.Candidates.Add(candidateId);
                    break;
                case CandidateProfileCopy profile:
                    pending.Candidates.Add(profile.CandidateId);
                    break;
                case MaterialImage or CatalogVersion or AreaSettings:
                    pending.Everyone = true; // an image saved without its application, a catalog, an area's settings
                    break;
            }
        }
    }

    private static void SignalIfCommitted(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Signal(context);
        }
    }

    private static void Signal(DbContext? context)
    {
        if (context is not MaterialStorageDbContext { PendingPageChanges: { IsEmpty: false } pending } db)
        {
            return;
        }
        var changes = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<PageChanges>();
        if (pending.Everyone)
        {
            changes?.ChangedEverywhere();
        }
        else
        {
            foreach (var candidateId in pending.Candidates)
            {
                changes?.Changed(candidateId);
            }
        }
        pending.Clear();
    }

    private static void ForgetIfNoTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Forget(context);
        }
    }

    private static void Forget(DbContext? context) => (context as MaterialStorageDbContext)?.PendingPageChanges.Clear();
}

/// <summary>The pages a context's saves changed, waiting for the commit (SQLite only).</summary>
internal sealed class PendingPageChanges
{
    public HashSet<Guid> Candidates { get; } = [];

    public bool Everyone { get; set; }

    public bool IsEmpty => Candidates.Count == 0 && !Everyone;

    public void Clear()
    {
        Candidates.Clear();
        Everyone = false;
    }
}
