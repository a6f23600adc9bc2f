using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>
/// One change of one item a province may pull, written in the same transaction as the change itself: the item's state
/// as it was committed (<see cref="Payload"/>), or a tombstone (<see cref="Deleted"/>) when the item went away. Rows are
/// never updated or deleted, so a client replaying the feed in order ends with exactly the service's state.
/// </summary>
public sealed class FeedEntry
{
    /// <summary>Assigned by the database at insert (identity / AUTOINCREMENT); orders the rows of one transaction.</summary>
    public long Position { get; set; }

    /// <summary>
    /// PostgreSQL: the writing transaction's id (<c>pg_current_xact_id()</c>, 64-bit, never reused, monotonic across
    /// restarts). SQLite: always 0, its single writer commits positions in order. See <see cref="FeedPositionRule"/>.
    /// </summary>
    public long Transaction { get; set; }
    public required string Feed { get; set; }
    public required string Area { get; set; }
    public required string Kind { get; set; }
    public Guid ItemId { get; set; }
    public bool Deleted { get; set; }
    public string? Payload { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>What a service's projection says changed: an item of a feed in an area, with its new state or null (gone).</summary>
public sealed record FeedChange(string Feed, string Area, string Kind, Guid ItemId, object? Snapshot);

/// <summary>A service's mapping from the entities a save changes to the feed items a province sees.</summary>
public interface IFeedProjection
{
    ValueTask<IReadOnlyList<FeedChange>> ProjectAsync(DbContext db, IReadOnlyList<EntityEntry> changed, CancellationToken cancellationToken);
}

/// <summary>
/// Appends the feed rows of every save to that same save: whatever path changes an item (an endpoint, a consumer, a
/// background job), its feed row commits or rolls back with it. A save that failed and is retried does not leave the
/// first attempt's rows behind.
/// </summary>
public sealed class ChangeFeedInterceptor(IFeedProjection projection) : SaveChangesInterceptor
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        // The services save asynchronously; a synchronous save (tools, tests) projects the same way.
        AppendAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await AppendAsync(eventData.Context, cancellationToken);
        return result;
    }

    private async ValueTask AppendAsync(DbContext? db, CancellationToken cancellationToken)
    {
        if (db is null)
        {
            return;
        }
        db.ChangeTracker.DetectChanges();
        var changed = db.ChangeTracker.Entries()
            .Where(e => e.Entity is not FeedEntry && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        if (changed.Count == 0)
        {
            // Nothing but feed rows (the start-up backfill writes them directly): they are the save.
            return;
        }
        foreach (var stale in db.ChangeTracker.Entries<FeedEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            stale.State = EntityState.Detached;
        }
        Append(db, await projection.ProjectAsync(db, changed, cancellationToken));
    }

    /// <summary>Adds one row per item of <paramref name="changes"/> (the last change of an item wins) to the save in progress.</summary>
    public static void Append(DbContext db, IEnumerable<FeedChange> changes)
    {
        var now = DateTimeOffset.UtcNow;
        // One row per item and save: the item's state at this commit.
        foreach (var change in changes.GroupBy(c => (c.Feed, c.ItemId)).Select(g => g.Last()))
        {
            db.Set<FeedEntry>().Add(new FeedEntry
            {
                Feed = change.Feed,
                Area = change.Area,
                Kind = change.Kind,
                ItemId = change.ItemId,
                Deleted = change.Snapshot is null,
                Payload = change.Snapshot is null ? null : JsonSerializer.Serialize(change.Snapshot, change.Snapshot.GetType(), Json),
                ChangedAt = now,
            });
        }
    }
}

public static class ChangeFeedModel
{
    public const string Table = "ProvincialFeed";

    /// <summary>Maps the feed table; on PostgreSQL the transaction id is the column's default, taken inside the writing transaction.</summary>
    public static ModelBuilder ApplyChangeFeed(this ModelBuilder modelBuilder, bool isSqlite)
    {
        modelBuilder.Entity<FeedEntry>(builder => Configure(builder, isSqlite));
        return modelBuilder;
    }

    private static void Configure(EntityTypeBuilder<FeedEntry> builder, bool isSqlite)
    {
        builder.ToTable(Table);
        builder.HasKey(x => x.Position);
        builder.Property(x => x.Position).ValueGeneratedOnAdd();
        if (!isSqlite)
        {
            // xid8 as bigint: 64 bits with the epoch, so it never wraps or repeats (a plain xid would).
            builder.Property(x => x.Transaction).HasDefaultValueSql("(pg_current_xact_id()::text)::bigint").ValueGeneratedOnAdd();
        }
        builder.Property(x => x.Feed).HasMaxLength(32);
        builder.Property(x => x.Area).HasMaxLength(16);
        builder.Property(x => x.Kind).HasMaxLength(32);
        builder.HasIndex(x => new { x.Feed, x.Area, x.Transaction, x.Position });
    }
}

/// <summary>
/// Times in feed items and single reads are whole milliseconds: a snapshot taken in memory at the write must equal the
/// same item read back from the database later (SQLite keeps 100 µs, PostgreSQL 1 µs).
/// </summary>
public static class FeedTimes
{
    public static DateTimeOffset Millis(DateTimeOffset at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, at.Offset);

    public static DateTimeOffset? Millis(DateTimeOffset? at) => at is { } value ? Millis(value) : null;
}
