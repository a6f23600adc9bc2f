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
        }, s =>
        {
            s.AddSingleton<SmsDispatchSignal>();
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

    public async Task DisposeAsync() => await _fixture.DisposeAsync();
}
