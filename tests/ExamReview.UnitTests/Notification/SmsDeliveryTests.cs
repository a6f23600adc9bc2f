using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.SmsProviderStub;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// The checks for SMS, asserted on what reached the provider stub: one SMS per event under duplicates, the
/// templates' parameters, errors then recovery, an outage with the circuit open, the per-number rate limit, and the
/// messages that fail for good (the operators' alert). Attempts whose outcome is unknown: <see cref="SmsOutcomeUnknownTests"/>.
/// </summary>
public sealed class SmsDeliveryTests
{
    private static readonly DateTimeOffset RespondBy = new(2027, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static ApplicationReturned Returned(Guid candidateId) =>
        new(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43", "site", "身份证背面照片不清晰，请重新上传。", RespondBy);

    [Fact]
    public async Task A_return_delivered_twice_gives_one_sms_at_the_provider_with_the_seed_text()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var (candidateId, mobile) = await rig.AddCandidateAsync();

        var messageId = NewId.NextGuid();
        var returned = Returned(candidateId);
        await rig.PublishAsync(returned, messageId);
        await rig.PublishAsync(returned, messageId);

        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).All(m => m.Delivery == SmsDeliveryState.Delivered), "the delivery report");
        await rig.RunForAsync(TimeSpan.FromMilliseconds(300));

        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal("【湖南考区】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。", sms.Text);
        Assert.Equal(SmsStatus.Sent, sms.Status);
        var received = Assert.Single(rig.Stub.For(mobile));
        Assert.Equal(sms.Id.ToString("N"), received.OutId);
        Assert.Equal("湖南考区", received.SignName);
        Assert.Equal("SMS_EXR0001", received.TemplateCode);
        Assert.Equal(received.BizId, sms.ProviderMessageId);
        Assert.Equal(1, rig.Stub.SendCalls);
    }

    [Fact]
    public async Task The_deadline_reminder_reaches_the_provider_with_the_deadline_as_template_parameter()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var (candidateId, mobile) = await rig.AddCandidateAsync("44");

        await rig.PublishAsync(new ReturnDeadlineApproaching(Guid.NewGuid(), Guid.NewGuid(), candidateId, "44", RespondBy), NewId.NextGuid());
        await rig.RunUntilAsync(async () => rig.Stub.For(mobile).Count == 1, "the reminder at the provider");

        var received = Assert.Single(rig.Stub.For(mobile));
        Assert.Equal("广东考区", received.SignName);
        Assert.Equal("SMS_EXR0004", received.TemplateCode);
        Assert.Equal("2027-03-01 18:00", JsonDocument.Parse(received.TemplateParam!).RootElement.GetProperty("deadline").GetString());
        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Contains("请于 2027-03-01 18:00 前", sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_errors_and_then_recovers_gives_one_delivered_sms()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var (candidateId, mobile) = await rig.AddCandidateAsync();
        // Three failures use up the first attempt (one call and two retries); the second attempt fails once more, then succeeds.
        rig.Stub.Behaviour = new StubBehaviour { FailNext = 4 };

        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), NewId.NextGuid());
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Delivery == SmsDeliveryState.Delivered, "the SMS to be delivered");

        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal(SmsStatus.Sent, sms.Status);
        Assert.Equal(2, sms.Attempts);
        Assert.Equal(4, rig.Stub.RefusedCalls);
        var received = Assert.Single(rig.Stub.For(mobile));
        Assert.Equal(sms.EffectiveOutId, received.OutId);
        Assert.Equal(0, rig.FailedAlerts);
    }

    [Fact]
    public async Task With_the_provider_down_the_circuit_opens_messages_wait_and_all_are_delivered_after_recovery()
    {
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:Resilience:BreakerMinimumThroughput"] = "4",
            ["Sms:Resilience:BreakDuration"] = "00:00:01",
        });
        var candidates = Enumerable.Range(0, 4).Select(_ => (Id: Guid.NewGuid(), Mobile: SmsTestRig.NewMobile())).ToList();
        foreach (var (id, mobile) in candidates)
        {
            await rig.AddContactAsync(id, mobile);
        }
        rig.Stub.Behaviour = new StubBehaviour { Down = true };
        foreach (var (id, _) in candidates)
        {
            await rig.PublishAsync(new ApplicationRejected(Guid.NewGuid(), Guid.NewGuid(), id, "43", "学历证明与报名信息不符"), NewId.NextGuid());
        }

        await rig.RunUntilAsync(() => Task.FromResult(rig.Gateway.CircuitOpen), "the circuit to open");
        // While it is open the provider is not called at all.
        var callsWhenOpened = rig.Stub.RefusedCalls;
        await rig.RunForAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(callsWhenOpened, rig.Stub.RefusedCalls);
        // Through a few break/probe cycles nothing is lost or given up: every message still waits.
        await rig.RunForAsync(TimeSpan.FromSeconds(2.5));
        foreach (var (id, _) in candidates)
        {
            var waiting = Assert.Single(await rig.SmsForAsync(id));
            Assert.Equal(SmsStatus.Queued, waiting.Status);
        }
        Assert.Empty(rig.Stub.Received);

        rig.Stub.Behaviour = new StubBehaviour();
        await rig.RunUntilAsync(async () =>
        {
            foreach (var (id, _) in candidates)
            {
                if ((await rig.SmsForAsync(id)).Single().Delivery != SmsDeliveryState.Delivered)
                {
                    return false;
                }
            }
            return true;
        }, "every SMS to be delivered after recovery");

        Assert.False(rig.Gateway.CircuitOpen);
        foreach (var (id, mobile) in candidates)
        {
            var sms = Assert.Single(await rig.SmsForAsync(id));
            Assert.Equal(sms.EffectiveOutId, Assert.Single(rig.Stub.For(mobile)).OutId);
        }
        Assert.Equal(candidates.Count, rig.Stub.Received.Count);
        Assert.Equal(0, rig.FailedAlerts);
    }

    [Fact]
    public async Task The_per_number_rate_limit_holds_and_held_back_messages_go_out_later()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:RateLimit:PerMinute"] = "2",
            ["Sms:RateLimit:PerDay"] = "3",
        }, clock);
        var (candidateId, mobile) = await rig.AddCandidateAsync();
        var other = (Id: Guid.NewGuid(), Mobile: SmsTestRig.NewMobile());
        await rig.AddContactAsync(other.Id, other.Mobile);

        for (var i = 0; i < 5; i++)
        {
            await rig.PublishAsync(new ReturnDeadlineApproaching(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43", RespondBy), NewId.NextGuid());
        }
        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), other.Id, "43"), NewId.NextGuid());

        await rig.RunForAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, rig.Stub.For(mobile).Count);
        Assert.Single(rig.Stub.For(other.Mobile)); // another number is not held back
        var held = (await rig.SmsForAsync(candidateId)).Where(m => m.Status == SmsStatus.Queued).ToList();
        Assert.Equal(3, held.Count);
        Assert.All(held, m => Assert.True(m.NextAttemptAt > clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromSeconds(61));
        await rig.RunForAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(3, rig.Stub.For(mobile).Count); // the day's limit

        clock.Advance(TimeSpan.FromDays(1));
        await rig.RunForAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(5, rig.Stub.For(mobile).Count);

        var times = rig.Stub.For(mobile).Select(s => s.ReceivedAt).Order().ToList();
        foreach (var at in times)
        {
            Assert.True(times.Count(t => t >= at && t < at + TimeSpan.FromMinutes(1)) <= 2, "more than 2 SMS to one number within a minute");
        }
        Assert.All(await rig.SmsForAsync(candidateId), m => Assert.Equal(SmsStatus.Sent, m.Status));
        Assert.Equal(5, rig.Stub.For(mobile).Select(s => s.OutId).Distinct().Count());
    }

    [Fact]
    public async Task A_message_still_undeliverable_after_its_attempts_fails_raises_the_alert_and_can_be_retried()
    {
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?> { ["Sms:Dispatch:MaxAttempts"] = "2" });
        var (candidateId, mobile) = await rig.AddCandidateAsync();
        rig.Stub.Behaviour = new StubBehaviour { Down = true };

        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), NewId.NextGuid());
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Status == SmsStatus.Failed, "the SMS to fail");

        var failed = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal(2, failed.Attempts);
        Assert.Contains("still undeliverable after 2 attempts", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, rig.FailedAlerts);
        var events = await rig.WithDbAsync(db => db.OutboxMessages.Where(m => m.MessageType == typeof(NotificationFailed).FullName).ToListAsync());
        Assert.Contains(failed.Id.ToString(), Assert.Single(events).Body, StringComparison.Ordinal);
        Assert.Empty(rig.Stub.Received);
    }

    [Fact]
    public async Task A_number_the_provider_refuses_fails_at_once_and_a_carrier_failure_is_reported_as_undelivered()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var badNumber = (Id: Guid.NewGuid(), Mobile: "1390000");
        var unreachable = (Id: Guid.NewGuid(), Mobile: SmsTestRig.NewMobile());
        await rig.AddContactAsync(badNumber.Id, badNumber.Mobile);
        await rig.AddContactAsync(unreachable.Id, unreachable.Mobile);
        rig.Stub.Behaviour = new StubBehaviour { UndeliverableNumbers = [unreachable.Mobile] };

        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), badNumber.Id, "43"), NewId.NextGuid());
        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), unreachable.Id, "43"), NewId.NextGuid());
        await rig.RunUntilAsync(async () =>
            (await rig.SmsForAsync(badNumber.Id)).Single().Status == SmsStatus.Failed
            && (await rig.SmsForAsync(unreachable.Id)).Single().Delivery == SmsDeliveryState.Undelivered, "both outcomes");

        var refused = Assert.Single(await rig.SmsForAsync(badNumber.Id));
        Assert.Equal(1, refused.Attempts);
        Assert.Contains("isv.MOBILE_NUMBER_ILLEGAL", refused.Error, StringComparison.Ordinal);
        var undelivered = Assert.Single(await rig.SmsForAsync(unreachable.Id));
        Assert.Equal(SmsStatus.Sent, undelivered.Status);
        Assert.Equal("MOBILE_NOT_ON_SERVICE", undelivered.DeliveryError);
        Assert.Equal(2, rig.FailedAlerts);
    }
}
