using ExamReview.Contracts;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Data;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests;

/// <summary>The inbox on its own: MassTransit's in-memory harness, Notification's real consumers and migrations on SQLite.</summary>
public sealed class InboxIdempotencyTests : IAsyncLifetime
{
    private ConsumerHarness<NotificationDbContext, NotificationSqliteDbContext> _fixture = null!;

    private ServiceProvider Services => _fixture.Services;

    private ITestHarness Harness => _fixture.Harness;

    public async Task InitializeAsync()
    {
        _fixture = await ConsumerHarness<NotificationDbContext, NotificationSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<CandidateContactChangedConsumer>();
            x.AddConsumer<ApplicationApprovedConsumer>();
            x.AddConsumer<ProbeConsumer>();
        }, s =>
        {
            s.AddSingleton<SmsDispatchSignal>();
            s.AddSingleton<ProbeLog>();
        }, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task The_same_message_id_twice_produces_one_sms_and_one_inbox_row()
    {
        var candidateId = Guid.NewGuid();
        await Harness.Bus.Publish(new CandidateContactChanged(candidateId, "43", "13900139000"));
        Assert.True(await Harness.Consumed.Any<CandidateContactChanged>());

        var messageId = NewId.NextGuid();
        var approved = new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43");
        await Harness.Bus.Publish(approved, ctx => ctx.MessageId = messageId);
        await Harness.Bus.Publish(approved, ctx => ctx.MessageId = messageId);

        // The harness lists a message id once, so wait until the bus is idle: both copies have been handled.
        Assert.True(await Harness.GetConsumerHarness<ApplicationApprovedConsumer>().Consumed.Any<ApplicationApproved>());
        await Harness.InactivityTask;
        Assert.False(await Harness.Published.Any<Fault<ApplicationApproved>>());

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var sms = await db.SmsMessages.Where(m => m.CandidateId == candidateId).ToListAsync();
        var only = Assert.Single(sms);
        Assert.Equal(messageId, only.SourceMessageId);
        Assert.StartsWith("【湖南考区】", only.Text, StringComparison.Ordinal);
        Assert.Single(await db.InAppMessages.Where(m => m.CandidateId == candidateId).ToListAsync());
        Assert.Equal(1, await db.InboxMessages.CountAsync(m => m.MessageId == messageId));
    }

    [Fact]
    public async Task Preparation_runs_outside_the_transaction_once_per_message_and_can_decline()
    {
        var log = Services.GetRequiredService<ProbeLog>();
        var messageId = NewId.NextGuid();
        var message = new ApplicationRejected(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "43", "材料不符合要求");
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = messageId);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await InboxHoldsAsync(messageId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = messageId); // redelivered after it was consumed
        var declinedId = NewId.NextGuid();
        await Harness.Bus.Publish(message with { Reason = ProbeConsumer.Decline }, ctx => ctx.MessageId = declinedId);
        await Harness.InactivityTask;
        Assert.False(await Harness.Published.Any<Fault<ApplicationRejected>>());

        // The duplicate found the inbox row before preparing again; nothing prepared inside a transaction.
        Assert.Equal(1, log.Prepared(messageId));
        Assert.Equal(1, log.Handled(messageId));
        Assert.False(log.PreparedInTransaction);
        // A declined message is done with: never handled, no inbox row (a copy would prepare again).
        Assert.Equal(1, log.Prepared(declinedId));
        Assert.Equal(0, log.Handled(declinedId));
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        Assert.Equal(1, await db.InboxMessages.CountAsync(m => m.MessageId == messageId && m.Consumer == nameof(ProbeConsumer)));
        Assert.Equal(0, await db.InboxMessages.CountAsync(m => m.MessageId == declinedId));
    }

    private async Task<bool> InboxHoldsAsync(Guid messageId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().InboxMessages.AnyAsync(m => m.MessageId == messageId);
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();
}

/// <summary>What <see cref="ProbeConsumer"/> saw, per message id.</summary>
public sealed class ProbeLog
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, string), int> _calls = new();

    public bool PreparedInTransaction { get; set; }

    public void Record(Guid messageId, string phase) => _calls.AddOrUpdate((messageId, phase), 1, (_, n) => n + 1);

    public int Prepared(Guid messageId) => _calls.GetValueOrDefault((messageId, "prepare"));

    public int Handled(Guid messageId) => _calls.GetValueOrDefault((messageId, "handle"));
}

/// <summary>An inbox consumer that records its two phases (and whether a transaction was open while preparing).</summary>
public sealed class ProbeConsumer(NotificationDbContext db, ProbeLog log, Microsoft.Extensions.Logging.ILogger<ProbeConsumer> logger)
    : InboxConsumer<ApplicationRejected, NotificationDbContext>(db, logger)
{
    public const string Decline = "decline";

    protected override Task<bool> PrepareAsync(ApplicationRejected message, Guid messageId, CancellationToken cancellationToken)
    {
        log.Record(messageId, "prepare");
        log.PreparedInTransaction |= Db.Database.CurrentTransaction is not null;
        return Task.FromResult(message.Reason != Decline);
    }

    protected override Task HandleAsync(ApplicationRejected message, Guid messageId, CancellationToken cancellationToken)
    {
        log.Record(messageId, "handle");
        return Task.CompletedTask;
    }
}
