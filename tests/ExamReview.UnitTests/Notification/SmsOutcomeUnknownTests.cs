using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.SmsProviderStub;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// An SMS attempt whose outcome the service does not know — a lost or late answer, a crash between the provider
/// accepting a message and the service recording it, a one-time code that expired meanwhile — is looked up at the
/// provider before anything is sent again: one SMS at the provider, never a late code.
/// </summary>
public sealed class SmsOutcomeUnknownTests
{
    [Fact]
    public async Task A_one_time_code_not_sent_within_its_lifetime_is_never_sent_and_needs_no_operator()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var rig = await SmsTestRig.StartAsync(clock: clock);
        var (candidateId, mobile) = await rig.AddCandidateAsync();

        await rig.PublishAsync(new SendOneTimeCode(candidateId, "43", Guid.NewGuid(), "sign-in", "482913", clock.GetUtcNow().AddMinutes(5)), NewId.NextGuid());
        clock.Advance(TimeSpan.FromMinutes(6)); // the provider's circuit was open, or the number's limit held it back
        await rig.RunWorkerOnceAsync();

        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal(SmsStatus.Failed, sms.Status);
        Assert.Contains("expired", sms.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", sms.Text, StringComparison.Ordinal); // the stored text never holds the code
        Assert.Empty(rig.Stub.For(mobile));
        Assert.Equal(0, rig.FailedAlerts);
    }

    [Fact]
    public async Task An_expired_code_whose_earlier_attempt_may_have_got_through_is_only_looked_up_never_sent_again()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        // The timeout also bounds the later look-up, which this test needs answered (a look-up the provider cannot answer
        // ends the code as not found, by design): wide enough for a loaded CI machine, short of the slow send below.
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:Provider:AttemptTimeout"] = "00:00:01.500",
            ["Sms:Resilience:Retries"] = "0",
        }, clock);
        var (reached, lost) = (Guid.NewGuid(), Guid.NewGuid());
        var (reachedMobile, lostMobile) = (SmsTestRig.NewMobile(), SmsTestRig.NewMobile());
        await rig.AddContactAsync(reached, reachedMobile);
        await rig.AddContactAsync(lost, lostMobile);

        // One code times out at the provider, which took it anyway; the outcome is unknown.
        rig.Stub.Behaviour = new StubBehaviour { DelayMilliseconds = 4000 };
        await rig.PublishAsync(new SendOneTimeCode(reached, "43", Guid.NewGuid(), "sign-in", "482913", clock.GetUtcNow().AddMinutes(5)), NewId.NextGuid());
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(reached)).Single().OutcomeUnknown, "the timed-out attempt");
        rig.Stub.Behaviour = new StubBehaviour();
        // The other's attempt began and the process died before the provider had it (the write-ahead mark only).
        await rig.PublishAsync(new SendOneTimeCode(lost, "43", Guid.NewGuid(), "sign-in", "175302", clock.GetUtcNow().AddMinutes(5)), NewId.NextGuid());
        await rig.WithDbAsync(async db =>
        {
            var sms = await db.SmsMessages.SingleAsync(m => m.CandidateId == lost);
            sms.BeginAttempt(clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(6)); // both codes have expired before the next pass
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(reached)).Single().Status != SmsStatus.Queued
            && (await rig.SmsForAsync(lost)).Single().Status != SmsStatus.Queued, "both looked up");

        Assert.Equal(SmsStatus.Sent, (await rig.SmsForAsync(reached)).Single().Status); // found at the provider: it was sent
        Assert.Single(rig.Stub.For(reachedMobile));
        var expired = Assert.Single(await rig.SmsForAsync(lost));
        Assert.Equal(SmsStatus.Failed, expired.Status);
        Assert.Contains("not sent late", expired.Error, StringComparison.Ordinal);
        Assert.Empty(rig.Stub.For(lostMobile)); // never sent after its expiry
        Assert.Equal(1, rig.Stub.SendCalls);
        Assert.Equal(0, rig.FailedAlerts);
    }

    [Fact]
    public async Task After_a_restart_between_the_provider_accepting_and_the_record_being_written_the_sms_is_not_sent_again()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var (candidateId, mobile) = await rig.AddCandidateAsync();
        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), NewId.NextGuid());

        // What the dispatcher does up to the crash: the write-ahead mark is committed, the provider accepts the SMS,
        // and the process dies before it records the outcome.
        var queued = Assert.Single(await rig.SmsForAsync(candidateId));
        var now = DateTimeOffset.UtcNow;
        await rig.WithDbAsync(db => db.SmsMessages.Where(m => m.Id == queued.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, 1)
            .SetProperty(m => m.OutcomeUnknown, true)
            .SetProperty(m => m.FirstAttemptAt, now)
            .SetProperty(m => m.LastAttemptAt, now)));
        var accepted = await rig.Provider.SendAsync(
            new ProviderSmsRequest(queued.EffectiveOutId, mobile, queued.EffectiveSignName, queued.TemplateCode!, queued.TemplateParams, queued.Text), CancellationToken.None);
        Assert.True(accepted.Accepted);
        await rig.RestartServiceAsync();

        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Delivery == SmsDeliveryState.Delivered, "the SMS to be recorded and delivered");

        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal(SmsStatus.Sent, sms.Status);
        Assert.False(sms.OutcomeUnknown);
        Assert.NotNull(accepted.BizId);
        Assert.Single(rig.Stub.For(mobile));
        Assert.Equal(1, rig.Stub.SendCalls);
        Assert.True(rig.Stub.QueryCalls >= 1);
    }

    [Fact]
    public async Task A_lost_answer_is_followed_by_a_query_not_a_second_send_even_across_a_restart()
    {
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?> { ["Sms:Resilience:Retries"] = "0" });
        var (candidateId, mobile) = await rig.AddCandidateAsync();
        rig.Stub.Behaviour = new StubBehaviour { LoseNextResponses = 1 };

        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), NewId.NextGuid());
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Attempts == 1, "the first attempt");

        var unknown = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal(SmsStatus.Queued, unknown.Status);
        Assert.True(unknown.OutcomeUnknown);
        Assert.Single(rig.Stub.For(mobile)); // the provider did take it

        await rig.RestartServiceAsync();
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Status == SmsStatus.Sent, "the SMS to be recorded as sent");

        Assert.Single(rig.Stub.For(mobile));
        Assert.Equal(1, rig.Stub.SendCalls);
        Assert.Equal(rig.Stub.For(mobile)[0].OutId, (await rig.SmsForAsync(candidateId)).Single().EffectiveOutId);
    }

    [Fact]
    public async Task A_provider_that_accepts_but_answers_too_slowly_is_asked_before_any_resend_and_sends_once()
    {
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:Provider:AttemptTimeout"] = "00:00:00.300",
            ["Sms:Resilience:Retries"] = "1",
        });
        var (candidateId, mobile) = await rig.AddCandidateAsync();
        rig.Stub.Behaviour = new StubBehaviour { DelayMilliseconds = 1000 };

        await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43"), NewId.NextGuid());
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Attempts >= 2, "two timed-out attempts");

        var waiting = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal(SmsStatus.Queued, waiting.Status);
        Assert.True(waiting.OutcomeUnknown);
        Assert.Single(rig.Stub.For(mobile)); // taken by the provider once; later attempts asked instead of sending

        rig.Stub.Behaviour = new StubBehaviour();
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Delivery == SmsDeliveryState.Delivered, "the SMS to be delivered");
        Assert.Single(rig.Stub.For(mobile));
        Assert.Equal(1, rig.Stub.SendCalls);
    }
}
