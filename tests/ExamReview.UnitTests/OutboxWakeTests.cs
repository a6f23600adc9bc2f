using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests;

/// <summary>
/// The relays are woken by the database context itself once outbox rows are committed: at once outside a
/// transaction, at the commit inside one, never for a rollback or a save without outbox rows.
/// </summary>
public sealed class OutboxWakeTests : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"outbox-wake-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;
    private OutboxSignal.Subscription _relay = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<OutboxSignal>();
        services.AddDbContext<NotificationDbContext, NotificationSqliteDbContext>(o => o.UseSqlite($"Data Source={_database}"));
        _services = services.BuildServiceProvider(true);
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().Database.MigrateAsync();
        _relay = _services.GetRequiredService<OutboxSignal>().Subscribe();
    }

    public async Task DisposeAsync()
    {
        _relay.Dispose();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    private Task<bool> Woken() => _relay.WaitAsync(TimeSpan.Zero, CancellationToken.None);

    [Fact]
    public async Task Saving_outbox_rows_without_a_transaction_wakes_the_relay()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();

        db.Publish(new ExamAreaChanged("430000", "湖南"));
        await db.CommitAsync(CancellationToken.None);

        Assert.True(await Woken());
        Assert.False(await Woken());
    }

    [Fact]
    public async Task Inside_a_transaction_the_commit_wakes_the_relay_not_the_save()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();

        db.Publish(new ExamAreaChanged("430000", "湖南"));
        await db.SaveChangesAsync();
        Assert.False(await Woken());

        await transaction.CommitAsync();
        Assert.True(await Woken());
    }

    [Fact]
    public async Task A_rolled_back_transaction_wakes_nobody_and_leaves_nothing_pending()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Publish(new ExamAreaChanged("430000", "湖南"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        Assert.False(await Woken());

        // A later transaction without outbox rows does not inherit the rolled-back one's wake-up.
        db.ChangeTracker.Clear();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        Assert.False(await Woken());
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task A_save_without_outbox_rows_wakes_nobody()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();

        db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "probe", ProcessedAt = DateTimeOffset.UtcNow });
        await db.CommitAsync(CancellationToken.None);

        Assert.False(await Woken());
    }

    [Fact]
    public async Task A_failed_save_outside_a_transaction_wakes_nobody_then_or_later()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var seen = new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "probe", ProcessedAt = DateTimeOffset.UtcNow };
        db.InboxMessages.Add(seen);
        await db.CommitAsync(CancellationToken.None);
        db.ChangeTracker.Clear();

        // The same inbox key again (a duplicate delivery) beside an outbox row: the save fails, nothing is committed.
        db.InboxMessages.Add(new InboxMessage { MessageId = seen.MessageId, Consumer = "probe", ProcessedAt = DateTimeOffset.UtcNow });
        db.Publish(new ExamAreaChanged("430000", "湖南"));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.CommitAsync(CancellationToken.None));
        Assert.False(await Woken());

        // The next save without outbox rows does not inherit the failed one's wake-up.
        db.ChangeTracker.Clear();
        db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "probe", ProcessedAt = DateTimeOffset.UtcNow });
        await db.CommitAsync(CancellationToken.None);
        Assert.False(await Woken());
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
    }
}
