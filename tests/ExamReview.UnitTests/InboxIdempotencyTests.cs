using ExamReview.Contracts;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Data;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests;

/// <summary>The inbox on its own: MassTransit's in-memory harness, Notification's real consumers and migrations on SQLite.</summary>
public sealed class InboxIdempotencyTests : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"inbox-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<SmsDispatchSignal>();
        services.AddDbContext<NotificationDbContext>(o => o
            .UseSqlite($"Data Source={_database}")
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        services.AddMassTransitTestHarness(x =>
        {
            x.AddConsumer<CandidateContactChangedConsumer>();
            x.AddConsumer<ApplicationApprovedConsumer>();
        });
        _services = services.BuildServiceProvider(true);
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().Database.MigrateAsync();
        }
        _harness = _services.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(2);
        await _harness.Start();
    }

    [Fact]
    public async Task The_same_message_id_twice_produces_one_sms_and_one_inbox_row()
    {
        var candidateId = Guid.NewGuid();
        await _harness.Bus.Publish(new CandidateContactChanged(candidateId, "43", "13900139000"));
        Assert.True(await _harness.Consumed.Any<CandidateContactChanged>());

        var messageId = NewId.NextGuid();
        var approved = new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43");
        await _harness.Bus.Publish(approved, ctx => ctx.MessageId = messageId);
        await _harness.Bus.Publish(approved, ctx => ctx.MessageId = messageId);

        // The harness lists a message id once, so wait until the bus is idle: both copies have been handled.
        Assert.True(await _harness.GetConsumerHarness<ApplicationApprovedConsumer>().Consumed.Any<ApplicationApproved>());
        await _harness.InactivityTask;
        Assert.False(await _harness.Published.Any<Fault<ApplicationApproved>>());

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var sms = await db.SmsMessages.Where(m => m.CandidateId == candidateId).ToListAsync();
        var only = Assert.Single(sms);
        Assert.Equal(messageId, only.SourceMessageId);
        Assert.StartsWith("【湖南考区】", only.Text, StringComparison.Ordinal);
        Assert.Single(await db.InAppMessages.Where(m => m.CandidateId == candidateId).ToListAsync());
        Assert.Equal(1, await db.InboxMessages.CountAsync(m => m.MessageId == messageId));
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }
}
