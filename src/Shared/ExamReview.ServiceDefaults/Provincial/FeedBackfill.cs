using System.Data;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>One kind of feed item of a service whose items may have no feed row yet (written before the feed existed).</summary>
public interface IFeedBackfillSource<in TDbContext> where TDbContext : DbContext
{
    /// <summary>
    /// Writes, through the service's own projection, the current state of up to <paramref name="batchSize"/> items that
    /// have no feed row yet and are not in <paramref name="skipped"/>; returns how many items it read (0: none left).
    /// Items the projection leaves out are added to <paramref name="skipped"/> so the run ends.
    /// </summary>
    Task<int> BackfillBatchAsync(TDbContext db, int batchSize, ISet<Guid> skipped, CancellationToken cancellationToken);
}

/// <summary>
/// The items of <typeparamref name="TEntity"/> (feed <paramref name="feed"/>, kind <paramref name="kind"/>, item id
/// <paramref name="itemId"/>) that no feed row names yet, projected by <paramref name="projection"/> as if just added.
/// </summary>
public sealed class FeedBackfillSource<TDbContext, TEntity>(string feed, string kind, IFeedProjection projection, Expression<Func<TEntity, Guid>> itemId)
    : IFeedBackfillSource<TDbContext>
    where TDbContext : DbContext
    where TEntity : class
{
    private readonly Func<TEntity, Guid> _itemIdOf = itemId.Compile();

    public async Task<int> BackfillBatchAsync(TDbContext db, int batchSize, ISet<Guid> skipped, CancellationToken cancellationToken)
    {
        var fed = db.Set<FeedEntry>().Where(f => f.Feed == feed && f.Kind == kind).Select(f => f.ItemId);
        var query = db.Set<TEntity>().Where(Not(Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(Guid)], fed.Expression, itemId.Body)));
        if (skipped.Count > 0)
        {
            query = query.Where(Not(Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)], Expression.Constant(skipped.ToList()), itemId.Body)));
        }
        var batch = await query.OrderBy(itemId).Take(batchSize).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }
        // Unchanged entries: each projection reads them as the item's current state (no original values to compare).
        var changes = await projection.ProjectAsync(db, batch.Select(e => (EntityEntry)db.Entry(e)).ToList(), cancellationToken);
        foreach (var id in batch.Select(_itemIdOf).Where(id => !changes.Any(c => c.ItemId == id)))
        {
            skipped.Add(id);
        }
        ChangeFeedInterceptor.Append(db, changes);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }

    private Expression<Func<TEntity, bool>> Not(Expression condition) => Expression.Lambda<Func<TEntity, bool>>(Expression.Not(condition), itemId.Parameters);
}

/// <summary>
/// Writes a feed row for every item that existed before the feed did, so a province syncing from zero sees every item.
/// Each batch runs in a serializable transaction: a write that changes one of its items meanwhile (and writes that
/// item's feed row itself) makes one of the two fail instead of an older state landing after a newer one; the batch is
/// then read again. Idempotent: an item with a feed row is never selected again, so every start after the first finds
/// nothing, and replicas backfilling at once only conflict.
/// </summary>
public static class FeedBackfill
{
    public const int DefaultBatchSize = 200;

    /// <summary>Runs every source until none has an item left; returns how many items it wrote.</summary>
    public static async Task<int> RunAsync<TDbContext>(IServiceProvider services, IEnumerable<IFeedBackfillSource<TDbContext>> sources, int batchSize, CancellationToken ct)
        where TDbContext : DbContext
    {
        var written = 0;
        foreach (var source in sources)
        {
            var skipped = new HashSet<Guid>();
            var conflicts = 0;
            while (true)
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                int read;
                try
                {
                    read = await db.Database.CreateExecutionStrategy().ExecuteAsync(async cancellationToken =>
                    {
                        db.ChangeTracker.Clear();
                        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                        var count = await source.BackfillBatchAsync(db, batchSize, skipped, cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                        return count;
                    }, ct);
                    conflicts = 0;
                }
                catch (DbUpdateException) when (++conflicts < 10)
                {
                    continue; // a concurrent write won (serialization failure, or a busy SQLite file): read the batch again
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException && ++conflicts < 10)
                {
                    continue; // the same at commit, or surfaced by the execution strategy
                }
                if (read == 0)
                {
                    break;
                }
                written += read;
            }
            written -= skipped.Count;
        }
        return written;
    }
}

/// <summary>Runs <see cref="FeedBackfill"/> once at start-up, after the migrations (register it after the database).</summary>
public sealed class FeedBackfillService<TDbContext>(IServiceProvider services, IEnumerable<IFeedBackfillSource<TDbContext>> sources, ILogger<FeedBackfillService<TDbContext>> logger)
    : BackgroundService
    where TDbContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var written = await FeedBackfill.RunAsync(services, sources, FeedBackfill.DefaultBatchSize, stoppingToken);
            if (written > 0)
            {
                logger.LogInformation("Wrote the feed rows of {Count} items that existed before the provincial feed ({Context})", written, typeof(TDbContext).Name);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            // The feeds keep serving what they have; the next start tries again.
            logger.LogError(ex, "Backfilling the provincial feed of {Context} failed", typeof(TDbContext).Name);
        }
    }
}

public static class FeedBackfillRegistration
{
    /// <summary>Registers the service's backfill sources and the once-per-start run (after the database and its migrations).</summary>
    public static IServiceCollection AddFeedBackfill<TDbContext>(this IServiceCollection services, params IFeedBackfillSource<TDbContext>[] sources)
        where TDbContext : DbContext
    {
        foreach (var source in sources)
        {
            services.AddSingleton(source);
        }
        services.AddHostedService<FeedBackfillService<TDbContext>>();
        return services;
    }
}
