using ExamReview.Contracts;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
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

    private FailingCommit _failing = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ConsumerHarness<NotificationDbContext, NotificationSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<CandidateContactChangedConsumer>();
            x.AddConsumer<ApplicationApprovedConsumer>();
            x.AddConsumer<ApplicationApprovedInAppConsumer>();
        }, s =>
        {
            s.AddSingleton<SmsDispatchSignal>();
            s.AddSingleton<ExamReview.Notification.Sms.NotificationMetrics>();
            _failing = FailingCommit.AddTo<NotificationSqliteDbContext>(s);
        }, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task The_same_message_id_twice_produces_one_sms_and_one_inbox_row()
    {
        var candidateId = Guid.NewGuid();
        await Harness.Bus.Publish(new CandidateContactChanged(candidateId, "43", "13900139000", 0));
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
        // One inbox row per consumer (the SMS and the in-app message), each written once.
        Assert.Equal(2, await db.InboxMessages.CountAsync(m => m.MessageId == messageId));
    }

    [Fact]
    public async Task An_event_whose_sms_cannot_be_composed_yet_still_puts_its_message_in_the_message_centre()
    {
        var candidateId = Guid.NewGuid(); // Notification has not learned this candidate's number (yet)
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), ctx => ctx.MessageId = messageId);

        Assert.True(await Harness.GetConsumerHarness<ApplicationApprovedInAppConsumer>().Consumed.Any<ApplicationApproved>(m => m.Context.MessageId == messageId));
        await Harness.InactivityTask;
        // The SMS waits for the number (its consumer faults, so the bus retries it); the in-app message does not.
        Assert.True(await Harness.Published.Any<Fault<ApplicationApproved>>(f => f.Context.Message.Message.CandidateId == candidateId));
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        Assert.Empty(await db.SmsMessages.Where(m => m.CandidateId == candidateId).ToListAsync());
        var message = Assert.Single(await db.InAppMessages.Where(m => m.CandidateId == candidateId).ToListAsync());
        Assert.Equal("审核通过", message.Title);
        Assert.Equal(messageId, message.SourceMessageId);
    }

    [Fact]
    public async Task A_late_older_contact_change_never_overwrites_the_newer_number()
    {
        var candidateId = Guid.NewGuid();
        await Harness.Bus.Publish(new CandidateContactChanged(candidateId, "43", "13900000003", 3));
        await ConsumedAsync(candidateId, 3);
        await Harness.Bus.Publish(new CandidateContactChanged(candidateId, "43", "13900000002", 2)); // a retry of an older change, after the newer one
        await ConsumedAsync(candidateId, 2);
        Assert.Equal(("13900000003", 3), await ContactAsync(candidateId));

        await Harness.Bus.Publish(new CandidateContactChanged(candidateId, "44", "13900000004", 4));
        await ConsumedAsync(candidateId, 4);
        Assert.Equal(("13900000004", 4), await ContactAsync(candidateId));
        Assert.False(await Harness.Published.Any<Fault<CandidateContactChanged>>());

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.CandidateId == candidateId);
        Assert.Equal("44", contact.AreaCode);
        // The time must come back as written (SQLite stores binary ticks).
        Assert.InRange(contact.UpdatedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        // The late older change warned nobody; the newer one warned the number it replaced, signed by the new area.
        var warning = Assert.Single(await db.SmsMessages.AsNoTracking().Where(m => m.CandidateId == candidateId).ToListAsync());
        Assert.Equal((SmsTemplates.MobileChanged, "13900000003"), (warning.Template, warning.MobileNumber));
        Assert.StartsWith("【广东考区】", warning.Text, StringComparison.Ordinal);
        Assert.Contains("尾号 0004 ", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_warning_lost_for_want_of_a_sender_name_is_counted_once_the_new_number_is_committed()
    {
        var failures = new List<(long Value, object? Reason)>();
        var metrics = Services.GetRequiredService<ExamReview.Notification.Sms.NotificationMetrics>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name == "examreview.notification.sms.failed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (failures)
            {
                failures.Add((value, tags.ToArray().Single(t => t.Key == "reason").Value));
            }
        });
        listener.Start();
        // Area 99 has no sender name: the warning to the previous number cannot be sent, and the new number is kept.
        var candidateId = Guid.NewGuid();
        await Harness.Bus.Publish(new CandidateContactChanged(candidateId, "99", "13900000001", 1));
        await ConsumedAsync(candidateId, 1);
        var moved = new CandidateContactChanged(candidateId, "99", "13900000002", 2);
        var messageId = NewId.NextGuid();

        // The first attempt's commit fails: the change rolls back, and its lost warning is not counted.
        _failing.FailNextCommit();
        await Harness.Bus.Publish(moved, ctx => ctx.MessageId = messageId);
        // Polled rather than Published.Any, which gives up once the bus looks idle for the harness's 2 s (a loaded machine).
        var faulted = DateTime.UtcNow.AddSeconds(20);
        while (!Harness.Published.Select<Fault<CandidateContactChanged>>(f => f.Context.Message.Message.CandidateId == candidateId).Any())
        {
            Assert.True(DateTime.UtcNow < faulted, "the attempt whose commit failed did not fault");
            await Task.Delay(50);
        }
        Assert.True(_failing.Spent);
        Assert.Equal(("13900000001", 1), await ContactAsync(candidateId));
        lock (failures)
        {
            Assert.Empty(failures);
        }

        // Delivered again: committed, and counted once.
        await Harness.Bus.Publish(moved, ctx => ctx.MessageId = messageId);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await ContactAsync(candidateId) != ("13900000002", 2))
        {
            Assert.True(DateTime.UtcNow < deadline, "the change was not applied");
            await Task.Delay(50);
        }
        await Harness.InactivityTask;
        lock (failures)
        {
            Assert.Equal([(1L, (object?)"no_sender")], failures);
        }
        await using var scope = Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().SmsMessages.Where(m => m.CandidateId == candidateId).ToListAsync());
    }

    /// <summary>Waits until the consumer has handled (and committed) the change of that version.</summary>
    private async Task ConsumedAsync(Guid candidateId, int version) =>
        Assert.True(await Harness.GetConsumerHarness<CandidateContactChangedConsumer>().Consumed
            .Any<CandidateContactChanged>(c => c.Context.Message.CandidateId == candidateId && c.Context.Message.ContactVersion == version));

    private async Task<(string Mobile, int Version)> ContactAsync(Guid candidateId)
    {
        await using var scope = Services.CreateAsyncScope();
        var contact = await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().Contacts.AsNoTracking().SingleAsync(c => c.CandidateId == candidateId);
        return (contact.MobileNumber, contact.ContactVersion);
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();
}
