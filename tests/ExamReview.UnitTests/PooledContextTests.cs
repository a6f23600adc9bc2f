using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests;

/// <summary>
/// The host leases its contexts from a pool (issue 19: building a context's internal services per request was 5–8 % of
/// a service's CPU). A pooled context may not change its options in OnConfiguring, so the pool gets the context's own
/// interceptors and replaced services when it is made; a reused context still has them, once each, and still wakes
/// the relays.
/// </summary>
public sealed class PooledContextTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pooled-context-{Guid.NewGuid():N}");
    private WebApplication _app = null!;
    private OutboxSignal.Subscription _relay = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["DataDirectory"] = _dataDirectory;
        builder.Services.AddSingleton<OutboxSignal>();
        builder.AddServiceDatabase<NotificationDbContext, NotificationPostgreSqlDbContext, NotificationSqliteDbContext>("notificationdb");
        _app = builder.Build();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().Database.MigrateAsync();
        }
        _relay = _app.Services.GetRequiredService<OutboxSignal>().Subscribe();
    }

    public async Task DisposeAsync()
    {
        _relay.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_context_is_reused_with_its_own_options_once_each_and_still_wakes_the_relays()
    {
        NotificationDbContext first;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            first.Publish(new ExamAreaChanged("430000", "湖南"));
            await first.CommitAsync(CancellationToken.None);
        }
        Assert.True(await _relay.WaitAsync(TimeSpan.Zero, CancellationToken.None));

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var second = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            Assert.Same(first, second);
            Assert.IsType<NotificationSqliteDbContext>(second);
            var interceptors = second.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.Interceptors!.ToList();
            Assert.Single(interceptors, i => i.GetType().Name == "OutboxWakeInterceptor");
            Assert.Equal("ProtectedModelCacheKeyFactory", second.GetService<IModelCacheKeyFactory>().GetType().Name);
            Assert.Empty(second.ChangeTracker.Entries());

            second.Publish(new ExamAreaChanged("430000", "湖南"));
            await second.CommitAsync(CancellationToken.None);
        }
        Assert.True(await _relay.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            Assert.Equal(2, await db.OutboxMessages.CountAsync());
        }
    }

    [Fact]
    public async Task Every_lease_saves_without_automatic_savepoints_even_after_one_that_turned_them_on()
    {
        NotificationDbContext first;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            Assert.False(first.Database.AutoSavepointsEnabled);
            first.Database.AutoSavepointsEnabled = true;
        }
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var second = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            Assert.Same(first, second);
            Assert.False(second.Database.AutoSavepointsEnabled);
        }
    }

    [Fact]
    public async Task Outbox_rows_of_a_transaction_disposed_without_a_commit_do_not_wake_the_relays_in_the_next_lease()
    {
        NotificationDbContext first;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            await using var transaction = await first.Database.BeginTransactionAsync();
            first.Publish(new ExamAreaChanged("430000", "湖南"));
            await first.SaveChangesAsync();
            // disposed without a commit, as after a failure: no rollback event reaches the interceptors
        }
        Assert.False(await _relay.WaitAsync(TimeSpan.Zero, CancellationToken.None));

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var second = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            Assert.Same(first, second);
            second.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "test", ProcessedAt = DateTimeOffset.UtcNow });
            await second.CommitAsync(CancellationToken.None);
            Assert.Equal(0, await second.OutboxMessages.CountAsync());
        }
        Assert.False(await _relay.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }
}
