using ExamReview.Contracts;
using ExamReview.Notification.Sms;

namespace ExamReview.Notification.Domain;

/// <summary>Why an operator's retry of an SMS was refused; the API words it.</summary>
public enum SmsRetryRefusal
{
    /// <summary>Neither failed on our side nor undelivered by the carrier: nothing to retry.</summary>
    NotFailed,

    /// <summary>A one-time code past its lifetime (<see cref="SmsMessage.HasExpired"/>).</summary>
    Expired,
}

/// <summary>
/// Where an SMS goes next. The dispatcher and the operators' API load the row, call one of these and commit what it
/// changed together with the message it returns (a NotificationSent or NotificationFailed to publish, or null);
/// metrics and logs stay theirs.
/// </summary>
public sealed partial class SmsMessage
{
    public const string Channel = "sms";

    private const int MaxErrorLength = 2000;
    private const int MaxDeliveryErrorLength = 200;

    /// <summary>
    /// An operator's retry: only of a failed or undelivered SMS, and never of an expired one-time code. A failed SMS
    /// keeps its OutId (the provider is asked first whether an attempt went through); one the carrier could not deliver
    /// gets a new OutId, because the provider did take the first one and this is a deliberate resend.
    /// </summary>
    public SmsRetryRefusal? Retry(DateTimeOffset now)
    {
        if (Status != SmsStatus.Failed && Delivery != SmsDeliveryState.Undelivered)
        {
            return SmsRetryRefusal.NotFailed;
        }
        if (HasExpired(now))
        {
            return SmsRetryRefusal.Expired;
        }
        if (Delivery == SmsDeliveryState.Undelivered)
        {
            OutId = $"{Id:N}-{now.ToUnixTimeSeconds()}";
            OutcomeUnknown = false;
            FirstAttemptAt = null;
            SentAt = null;
            ProviderMessageId = null;
        }
        Status = SmsStatus.Queued;
        Delivery = SmsDeliveryState.None;
        DeliveryError = null;
        DeliveredAt = null;
        NextReceiptCheckAt = null;
        Attempts = 0;
        FailedAt = null;
        NextAttemptAt = null;
        LeaseUntil = null;
        return null;
    }

    /// <summary>
    /// A claimed SMS whose one-time code expired while it waited ends Failed, without a message: nobody needs to act
    /// (the candidate asks for a new code). Not when an earlier attempt's outcome is unknown: the provider may have it,
    /// and the dispatcher must ask first. True when it gave up.
    /// </summary>
    public bool ExpireUnsent(DateTimeOffset now)
    {
        if (OutcomeUnknown || !HasExpired(now))
        {
            return false;
        }
        Status = SmsStatus.Failed;
        FailedAt = now;
        NextAttemptAt = null;
        LeaseUntil = null;
        Error = "expired before it could be sent: a one-time code is not sent late";
        return true;
    }

    /// <summary>
    /// A one-time code that expired while an earlier attempt's outcome is unknown: it is never sent again (it would
    /// arrive when it no longer signs anyone in), only looked up at the provider.
    /// </summary>
    public bool MayOnlyBeLookedUp(DateTimeOffset now) => OutcomeUnknown && HasExpired(now);

    /// <summary>
    /// The look-up of an expired code found nothing (or the provider could not be asked): it ends as any expired code
    /// does, Failed without a message, since nobody needs to act either way.
    /// </summary>
    public void ExpireNotFound(DateTimeOffset now)
    {
        OutcomeUnknown = false;
        ExpireUnsent(now);
        Error = "expired, and the provider shows no earlier attempt: a one-time code is not sent late";
    }

    /// <summary>The number has had its share for now: the SMS waits, unclaimed, until it may be sent.</summary>
    public void WaitForRateLimit(DateTimeOffset until)
    {
        NextAttemptAt = until;
        LeaseUntil = null;
    }

    /// <summary>
    /// The write-ahead mark before the provider is called: from here until <see cref="RecordAttempt"/> a crash leaves
    /// "outcome unknown" behind, and the next pass asks the provider for the OutId instead of sending again.
    /// </summary>
    /// <returns>When the first attempt began: the provider's records are searched from then.</returns>
    public DateTimeOffset BeginAttempt(DateTimeOffset now)
    {
        Attempts++;
        FirstAttemptAt ??= now;
        LastAttemptAt = now;
        OutId ??= Id.ToString("N");
        OutcomeUnknown = true;
        return FirstAttemptAt.Value;
    }

    /// <summary>
    /// Records the gateway's outcome of an attempt. Accepted: Sent, awaiting the carrier's report after <paramref name="receiptDelay"/>.
    /// Refused: Failed for good. Circuit open: the provider was not called, so this was no attempt. Unavailable: back off
    /// by <paramref name="backoff"/>, or fail once <paramref name="maxAttempts"/> are used. Returns the message to publish.
    /// </summary>
    public object? RecordAttempt(SmsAttemptOutcome attempt, DateTimeOffset now, TimeSpan receiptDelay, int maxAttempts, TimeSpan backoff)
    {
        LeaseUntil = null;
        OutcomeUnknown = attempt.OutcomeUnknown;
        switch (attempt.Result)
        {
            case SmsAttemptResult.Accepted:
                Status = SmsStatus.Sent;
                SentAt = now;
                ProviderMessageId = attempt.BizId;
                Error = null;
                NextAttemptAt = null;
                Delivery = SmsDeliveryState.Pending;
                NextReceiptCheckAt = now + receiptDelay;
                return new NotificationSent(Id, CandidateId, SourceMessageId, Channel);
            case SmsAttemptResult.Refused:
                return Fail(now, $"refused by the provider: {attempt.Error}");
            case SmsAttemptResult.CircuitOpen:
                Attempts--;
                NextAttemptAt = null;
                return null;
            case SmsAttemptResult.Unavailable:
                Error = Truncate(attempt.Error ?? "provider unavailable", MaxErrorLength);
                if (Attempts >= maxAttempts)
                {
                    return Fail(now, $"still undeliverable after {Attempts} attempts: {attempt.Error}");
                }
                NextAttemptAt = now + backoff;
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(attempt), attempt.Result, "Unknown attempt result");
        }
    }

    /// <summary>
    /// Records what the provider knows about a sent SMS whose report was due (the dispatcher claimed the row for this):
    /// delivered, undelivered (returns the NotificationFailed to publish), or no report yet (<paramref name="record"/>
    /// null or still waiting). Every outcome releases the claim.
    /// </summary>
    public NotificationFailed? RecordReceipt(ProviderSmsRecord? record, DateTimeOffset now, TimeSpan timeout, TimeSpan interval)
    {
        switch (record?.State)
        {
            case ProviderDeliveryState.Delivered:
                Delivered(record.ReceivedAt, now);
                return null;
            case ProviderDeliveryState.Failed:
                return Undelivered(record.ErrorCode);
            default:
                NoReceiptYet(now, timeout, interval);
                return null;
        }
    }

    /// <summary>The carrier delivered it (at the time it reports, or now when it gives none).</summary>
    public void Delivered(DateTimeOffset? receivedAt, DateTimeOffset now)
    {
        Delivery = SmsDeliveryState.Delivered;
        DeliveredAt = receivedAt ?? now;
        NextReceiptCheckAt = null;
        LeaseUntil = null;
    }

    /// <summary>The carrier could not deliver it: operators are told (the message returned), and may retry it.</summary>
    public NotificationFailed Undelivered(string? errorCode)
    {
        Delivery = SmsDeliveryState.Undelivered;
        DeliveryError = Truncate(errorCode ?? "undelivered", MaxDeliveryErrorLength);
        NextReceiptCheckAt = null;
        LeaseUntil = null;
        return new NotificationFailed(Id, CandidateId, SourceMessageId, Channel, $"carrier could not deliver: {DeliveryError}");
    }

    /// <summary>No report yet: ask again after <paramref name="interval"/>, until <paramref name="timeout"/> after sending leaves it Unknown.</summary>
    public void NoReceiptYet(DateTimeOffset now, TimeSpan timeout, TimeSpan interval)
    {
        LeaseUntil = null;
        if (now - (SentAt ?? now) > timeout)
        {
            Delivery = SmsDeliveryState.Unknown;
            NextReceiptCheckAt = null;
        }
        else
        {
            NextReceiptCheckAt = now + interval;
        }
    }

    private NotificationFailed Fail(DateTimeOffset now, string reason)
    {
        Status = SmsStatus.Failed;
        FailedAt = now;
        NextAttemptAt = null;
        Error = Truncate(reason, MaxErrorLength);
        return new NotificationFailed(Id, CandidateId, SourceMessageId, Channel, Error);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
