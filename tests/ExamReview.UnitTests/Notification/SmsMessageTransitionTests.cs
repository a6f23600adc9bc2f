using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// The SMS's own state machine, without a database or provider: what an operator may retry and what a retry resets,
/// when a waiting one-time code gives up, and what each provider outcome and carrier report changes and publishes.
/// </summary>
public sealed class SmsMessageTransitionTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ReceiptDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Backoff = TimeSpan.FromMinutes(2);

    private static SmsMessage NewSms(SmsStatus status = SmsStatus.Queued, SmsDeliveryState delivery = SmsDeliveryState.None, DateTimeOffset? expiresAt = null) => new()
    {
        Id = Guid.CreateVersion7(),
        CandidateId = Guid.NewGuid(),
        SourceMessageId = Guid.NewGuid(),
        Template = SmsTemplates.Returned,
        MobileNumber = "13900000000",
        Text = "【湖南考区】正文",
        Status = status,
        Delivery = delivery,
        ExpiresAt = expiresAt,
        CreatedAt = Now.AddHours(-1),
    };

    private static SmsMessage SentThenUndelivered()
    {
        var sms = NewSms(SmsStatus.Sent, SmsDeliveryState.Undelivered);
        sms.OutId = sms.Id.ToString("N");
        sms.Attempts = 2;
        sms.FirstAttemptAt = Now.AddMinutes(-50);
        sms.SentAt = Now.AddMinutes(-45);
        sms.ProviderMessageId = "biz-1";
        sms.DeliveryError = "MK:0001";
        return sms;
    }

    [Theory]
    [InlineData(SmsStatus.Queued, SmsDeliveryState.None)]
    [InlineData(SmsStatus.Sent, SmsDeliveryState.Pending)]
    [InlineData(SmsStatus.Sent, SmsDeliveryState.Delivered)]
    [InlineData(SmsStatus.Sent, SmsDeliveryState.Unknown)]
    public void Only_a_failed_or_undelivered_sms_may_be_retried_and_a_refused_retry_changes_nothing(SmsStatus status, SmsDeliveryState delivery)
    {
        var sms = NewSms(status, delivery);
        sms.Attempts = 1;

        Assert.Equal(SmsRetryRefusal.NotFailed, sms.Retry(Now));

        Assert.Equal((status, delivery, 1), (sms.Status, sms.Delivery, sms.Attempts));
    }

    [Fact]
    public void Not_failed_is_checked_before_expiry()
    {
        var sms = NewSms(SmsStatus.Sent, SmsDeliveryState.Delivered, expiresAt: Now.AddMinutes(-1));

        Assert.Equal(SmsRetryRefusal.NotFailed, sms.Retry(Now));
    }

    [Fact]
    public void An_expired_one_time_code_is_not_retried_and_stays_failed()
    {
        var sms = NewSms(SmsStatus.Failed, expiresAt: Now);
        sms.FailedAt = Now.AddMinutes(-3);

        Assert.Equal(SmsRetryRefusal.Expired, sms.Retry(Now));

        Assert.Equal(SmsStatus.Failed, sms.Status);
        Assert.Equal(Now.AddMinutes(-3), sms.FailedAt);
    }

    [Fact]
    public void Retrying_a_failed_sms_queues_it_again_under_the_same_out_id()
    {
        var sms = NewSms(SmsStatus.Failed, expiresAt: Now.AddMinutes(1));
        sms.OutId = "kept";
        sms.OutcomeUnknown = true;
        sms.Attempts = 5;
        sms.FirstAttemptAt = Now.AddMinutes(-20);
        sms.FailedAt = Now.AddMinutes(-5);
        sms.LeaseUntil = Now.AddMinutes(1);
        sms.NextAttemptAt = Now.AddMinutes(1);

        Assert.Null(sms.Retry(Now));

        Assert.Equal(SmsStatus.Queued, sms.Status);
        Assert.Equal(0, sms.Attempts);
        Assert.Null(sms.FailedAt);
        Assert.Null(sms.NextAttemptAt);
        Assert.Null(sms.LeaseUntil);
        // The provider may hold an earlier attempt: the same OutId and the unknown outcome make the dispatcher ask first.
        Assert.Equal("kept", sms.OutId);
        Assert.True(sms.OutcomeUnknown);
        Assert.Equal(Now.AddMinutes(-20), sms.FirstAttemptAt);
    }

    [Fact]
    public void Retrying_an_undelivered_sms_is_a_deliberate_resend_under_a_new_out_id()
    {
        var sms = SentThenUndelivered();

        Assert.Null(sms.Retry(Now));

        Assert.Equal($"{sms.Id:N}-{Now.ToUnixTimeSeconds()}", sms.OutId);
        Assert.Equal((SmsStatus.Queued, SmsDeliveryState.None, 0), (sms.Status, sms.Delivery, sms.Attempts));
        Assert.Null(sms.SentAt);
        Assert.Null(sms.FirstAttemptAt);
        Assert.Null(sms.ProviderMessageId);
        Assert.Null(sms.DeliveryError);
        Assert.False(sms.OutcomeUnknown);
    }

    [Fact]
    public void An_expired_code_gives_up_without_a_message_unless_an_earlier_attempt_may_have_gone_through()
    {
        var expired = NewSms(expiresAt: Now);
        expired.LeaseUntil = Now.AddSeconds(30);
        Assert.True(expired.ExpireUnsent(Now));
        Assert.Equal((SmsStatus.Failed, Now), (expired.Status, expired.FailedAt));
        Assert.Null(expired.LeaseUntil);
        Assert.StartsWith("expired before it could be sent", expired.Error, StringComparison.Ordinal);

        var inFlight = NewSms(expiresAt: Now);
        inFlight.OutcomeUnknown = true;
        Assert.False(inFlight.ExpireUnsent(Now));
        Assert.Equal(SmsStatus.Queued, inFlight.Status);

        var live = NewSms(expiresAt: Now.AddTicks(1));
        Assert.False(live.ExpireUnsent(Now));
        Assert.Null(live.FailedAt);
    }

    [Fact]
    public void An_attempt_is_written_ahead_and_keeps_its_first_time_and_out_id()
    {
        var sms = NewSms();
        Assert.Equal(Now, sms.BeginAttempt(Now));
        Assert.Equal(Now, sms.BeginAttempt(Now.AddMinutes(1)));

        Assert.Equal(2, sms.Attempts);
        Assert.Equal(Now.AddMinutes(1), sms.LastAttemptAt);
        Assert.Equal(sms.Id.ToString("N"), sms.OutId);
        Assert.True(sms.OutcomeUnknown);
    }

    [Fact]
    public void An_accepted_attempt_is_sent_awaits_its_report_and_publishes_notification_sent()
    {
        var sms = NewSms();
        sms.BeginAttempt(Now);
        sms.LeaseUntil = Now.AddMinutes(1);

        var message = sms.RecordAttempt(new SmsAttemptOutcome(SmsAttemptResult.Accepted, "biz-9", null, false), Now, ReceiptDelay, 3, Backoff);

        Assert.Equal(new NotificationSent(sms.Id, sms.CandidateId, sms.SourceMessageId, "sms"), message);
        Assert.Equal((SmsStatus.Sent, SmsDeliveryState.Pending, "biz-9"), (sms.Status, sms.Delivery, sms.ProviderMessageId));
        Assert.Equal(Now + ReceiptDelay, sms.NextReceiptCheckAt);
        Assert.Null(sms.LeaseUntil);
        Assert.False(sms.OutcomeUnknown);
    }

    [Fact]
    public void A_refused_attempt_fails_for_good_and_publishes_notification_failed()
    {
        var sms = NewSms();
        sms.BeginAttempt(Now);

        var failed = Assert.IsType<NotificationFailed>(sms.RecordAttempt(new SmsAttemptOutcome(SmsAttemptResult.Refused, null, "bad number", false), Now, ReceiptDelay, 3, Backoff));

        Assert.Equal("refused by the provider: bad number", failed.Reason);
        Assert.Equal((SmsStatus.Failed, Now, "refused by the provider: bad number"), (sms.Status, sms.FailedAt, sms.Error));
    }

    [Fact]
    public void An_open_circuit_was_no_attempt()
    {
        var sms = NewSms();
        sms.BeginAttempt(Now);

        Assert.Null(sms.RecordAttempt(new SmsAttemptOutcome(SmsAttemptResult.CircuitOpen, null, null, false), Now, ReceiptDelay, 3, Backoff));

        Assert.Equal((SmsStatus.Queued, 0), (sms.Status, sms.Attempts));
        Assert.Null(sms.NextAttemptAt);
    }

    [Fact]
    public void An_unavailable_provider_backs_off_until_the_last_attempt_then_fails()
    {
        var sms = NewSms();
        sms.BeginAttempt(Now);
        var unavailable = new SmsAttemptOutcome(SmsAttemptResult.Unavailable, null, "timeout", true);

        Assert.Null(sms.RecordAttempt(unavailable, Now, ReceiptDelay, 2, Backoff));
        Assert.Equal((SmsStatus.Queued, Now + Backoff, "timeout"), (sms.Status, sms.NextAttemptAt, sms.Error));
        Assert.True(sms.OutcomeUnknown);

        sms.BeginAttempt(Now.AddMinutes(2));
        var failed = Assert.IsType<NotificationFailed>(sms.RecordAttempt(unavailable, Now.AddMinutes(2), ReceiptDelay, 2, Backoff));
        Assert.Equal("still undeliverable after 2 attempts: timeout", failed.Reason);
        Assert.Equal(SmsStatus.Failed, sms.Status);
        Assert.Null(sms.NextAttemptAt);
    }

    [Fact]
    public void The_carriers_report_decides_delivery()
    {
        var delivered = NewSms(SmsStatus.Sent, SmsDeliveryState.Pending);
        delivered.Delivered(null, Now);
        Assert.Equal((SmsDeliveryState.Delivered, (DateTimeOffset?)Now, (DateTimeOffset?)null), (delivered.Delivery, delivered.DeliveredAt, delivered.NextReceiptCheckAt));

        var undelivered = NewSms(SmsStatus.Sent, SmsDeliveryState.Pending);
        var failed = undelivered.Undelivered(new string('E', 250));
        Assert.Equal(SmsDeliveryState.Undelivered, undelivered.Delivery);
        Assert.Equal(200, undelivered.DeliveryError!.Length);
        Assert.Equal($"carrier could not deliver: {undelivered.DeliveryError}", failed.Reason);
        Assert.Equal("carrier could not deliver: undelivered", NewSms().Undelivered(null).Reason);
    }

    [Fact]
    public void Without_a_report_it_asks_again_until_the_receipt_window_closes()
    {
        var sms = NewSms(SmsStatus.Sent, SmsDeliveryState.Pending);
        sms.SentAt = Now.AddMinutes(-10);

        sms.NoReceiptYet(Now, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        Assert.Equal((SmsDeliveryState.Pending, (DateTimeOffset?)Now.AddMinutes(1)), (sms.Delivery, sms.NextReceiptCheckAt));

        sms.NoReceiptYet(Now.AddTicks(1), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        Assert.Equal(SmsDeliveryState.Unknown, sms.Delivery);
        Assert.Null(sms.NextReceiptCheckAt);
    }

    [Fact]
    public void A_claimed_receipt_check_records_the_report_and_releases_the_claim_whatever_it_found()
    {
        SmsMessage Claimed()
        {
            var sms = NewSms(SmsStatus.Sent, SmsDeliveryState.Pending);
            sms.SentAt = Now.AddMinutes(-5);
            sms.NextReceiptCheckAt = Now.AddSeconds(-1);
            sms.LeaseUntil = Now.AddMinutes(2);
            return sms;
        }
        var window = (Timeout: TimeSpan.FromHours(72), Interval: TimeSpan.FromSeconds(30));

        var delivered = Claimed();
        Assert.Null(delivered.RecordReceipt(new ProviderSmsRecord("out", "biz", ProviderDeliveryState.Delivered, "DELIVERED", Now.AddMinutes(-4)), Now, window.Timeout, window.Interval));
        Assert.Equal((SmsDeliveryState.Delivered, (DateTimeOffset?)Now.AddMinutes(-4), (DateTimeOffset?)null), (delivered.Delivery, delivered.DeliveredAt, delivered.LeaseUntil));

        var undelivered = Claimed();
        var failed = undelivered.RecordReceipt(new ProviderSmsRecord("out", "biz", ProviderDeliveryState.Failed, "MOBILE_NOT_ON_SERVICE", null), Now, window.Timeout, window.Interval);
        Assert.Equal(new NotificationFailed(undelivered.Id, undelivered.CandidateId, undelivered.SourceMessageId, SmsMessage.Channel,
            "carrier could not deliver: MOBILE_NOT_ON_SERVICE"), failed);
        Assert.Equal((SmsDeliveryState.Undelivered, (DateTimeOffset?)null), (undelivered.Delivery, undelivered.LeaseUntil));

        foreach (var nothingYet in new ProviderSmsRecord?[] { null, new("out", "biz", ProviderDeliveryState.Waiting, null, null) })
        {
            var waiting = Claimed();
            Assert.Null(waiting.RecordReceipt(nothingYet, Now, window.Timeout, window.Interval));
            Assert.Equal((SmsDeliveryState.Pending, (DateTimeOffset?)Now.AddSeconds(30), (DateTimeOffset?)null),
                (waiting.Delivery, waiting.NextReceiptCheckAt, waiting.LeaseUntil));
        }
    }
}
