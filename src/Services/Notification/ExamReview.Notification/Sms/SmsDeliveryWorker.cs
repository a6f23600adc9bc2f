using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.Notification.Sms;

/// <summary>Wakes the dispatcher when a consumer or an operator queues SMS rows.</summary>
public sealed class SmsDispatchSignal : WakeSignal;

/// <summary>
/// One pass over the SMS rows: sends what is due, then collects delivery reports. Each message is claimed with a
/// lease, checked against the per-number rate limits, marked "outcome unknown" and committed BEFORE the provider
/// is called, and recorded after: if the process dies in between, the next pass sees the mark and asks the provider
/// for the OutId instead of sending again. Nothing is dropped: a message waits (rate limit, open circuit, back-off)
/// or ends Failed, which raises the failure metric and a NotificationFailed event and shows in the operators' API.
/// </summary>
public sealed class SmsDeliveryWorker(
    IServiceScopeFactory scopes,
    SmsGateway gateway,
    NotificationMetrics metrics,
    TimeProvider clock,
    IOptions<SmsDispatchOptions> dispatchOptions,
    IOptions<SmsRateLimitOptions> rateLimitOptions,
    ILogger<SmsDeliveryWorker> logger)
{
    public const string Channel = SmsMessage.Channel;
    private readonly SmsDispatchOptions _options = dispatchOptions.Value;
    private readonly SmsRateLimitOptions _limits = rateLimitOptions.Value;
    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>Sends due messages and checks due delivery reports; returns how many rows it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var handled = await SendDueAsync(cancellationToken);
        handled += await CheckReceiptsAsync(cancellationToken);
        return handled;
    }

    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        if (gateway.CircuitOpen)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.SmsMessages.AsNoTracking()
            .Where(m => m.Status == SmsStatus.Queued && (m.NextAttemptAt == null || m.NextAttemptAt <= now) && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.CreatedAt)
            .Select(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);

        var handled = 0;
        foreach (var id in due)
        {
            if (gateway.CircuitOpen)
            {
                break;
            }
            if (await SendOneAsync(db, id, cancellationToken))
            {
                handled++;
            }
        }
        return handled;
    }

    private async Task<bool> SendOneAsync(NotificationDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claimed = await db.SmsMessages
            .Where(m => m.Id == id && m.Status == SmsStatus.Queued && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, now + _options.Lease), cancellationToken);
        if (claimed == 0)
        {
            return false; // another dispatcher has it
        }

        db.ChangeTracker.Clear();
        var sms = await db.SmsMessages.SingleAsync(m => m.Id == id, cancellationToken);
        if (sms.MayOnlyBeLookedUp(now))
        {
            return await LookUpExpiredAsync(db, sms, cancellationToken);
        }

        // The rate-limit check and the write-ahead mark commit together under a per-number lock, so a second
        // dispatcher (another replica) checking the same number waits, then counts this attempt as in flight.
        var previousOutcomeUnknown = sms.OutcomeUnknown;
        DateTimeOffset firstAttemptAt;
        if (sms.ExpireUnsent(now))
        {
            await db.CommitAsync(CancellationToken.None);
            return true;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LockNumberAsync(db, sms.MobileNumber, cancellationToken);
            if (await RateLimitedUntilAsync(db, sms, now, cancellationToken) is { } waitUntil)
            {
                sms.WaitForRateLimit(waitUntil);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return true;
            }

            firstAttemptAt = sms.BeginAttempt(now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var request = new ProviderSmsRequest(sms.EffectiveOutId, sms.MobileNumber, sms.EffectiveSignName, sms.TemplateCode ?? "", sms.TemplateParams, sms.Text);
        var outcome = await gateway.SendAsync(request, previousOutcomeUnknown, firstAttemptAt, CancellationToken.None);
        now = clock.GetUtcNow();
        var message = sms.RecordAttempt(outcome, now, _options.ReceiptDelay, _options.MaxAttempts, Backoff(sms.Attempts));
        switch (message)
        {
            case NotificationSent sent:
                db.Publish(sent);
                metrics.Sent(sms.Template);
                if (outcome.FoundAtProvider)
                {
                    metrics.FoundAtProvider();
                }
                break;
            case NotificationFailed failed:
                db.Publish(failed);
                metrics.Failed(sms.Template, outcome.Result == SmsAttemptResult.Refused ? "refused" : "unavailable");
                logger.LogError("SMS {MessageId} ({Template}) failed and needs an operator: {Reason}", sms.Id, sms.Template, sms.Error);
                break;
            case null when outcome.Result == SmsAttemptResult.Unavailable:
                metrics.AttemptFailed(sms.Template);
                logger.LogWarning("SMS {MessageId} attempt {Attempt} failed ({Error}); next attempt at {NextAttemptAt}", sms.Id, sms.Attempts, outcome.Error, sms.NextAttemptAt);
                break;
        }
        await db.CommitAsync(CancellationToken.None);
        return true;
    }

    /// <summary>
    /// An expired one-time code whose earlier attempt may have reached the provider: only asked about, never sent
    /// again. Found there, it was sent; not found (or the provider cannot be asked now), it ends as an expired code.
    /// </summary>
    private async Task<bool> LookUpExpiredAsync(NotificationDbContext db, SmsMessage sms, CancellationToken cancellationToken)
    {
        var found = await gateway.FindAsync(sms.MobileNumber, sms.EffectiveOutId, sms.FirstAttemptAt ?? sms.CreatedAt, cancellationToken);
        var now = clock.GetUtcNow();
        if (found is null)
        {
            sms.ExpireNotFound(now);
        }
        else if (sms.RecordAttempt(new SmsAttemptOutcome(SmsAttemptResult.Accepted, found.BizId, null, OutcomeUnknown: false, FoundAtProvider: true),
                     now, _options.ReceiptDelay, _options.MaxAttempts, TimeSpan.Zero) is NotificationSent sent)
        {
            db.Publish(sent);
            metrics.Sent(sms.Template);
            metrics.FoundAtProvider();
        }
        await db.CommitAsync(CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Serialises the rate-limit check per mobile number across every dispatcher on PostgreSQL (a transaction-scoped
    /// advisory lock, released at commit). SQLite is the single-process embedded run: one dispatcher, and SQLite
    /// serialises writers anyway.
    /// </summary>
    private static async Task LockNumberAsync(NotificationDbContext db, string mobileNumber, CancellationToken cancellationToken)
    {
        if (db.IsSqlite)
        {
            return;
        }
        var key = BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("sms-number:" + mobileNumber)), 0);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
    }

    /// <summary>
    /// When the number may receive this message, or null when it may now (rolling minute and day windows). Messages
    /// sent count from when they were accepted; attempts in flight (write-ahead mark set, outcome not yet known)
    /// count from when they started, since the provider may be delivering them right now.
    /// </summary>
    private async Task<DateTimeOffset?> RateLimitedUntilAsync(NotificationDbContext db, SmsMessage sms, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dayStart = now - TimeSpan.FromDays(1);
        var sentToday = await db.SmsMessages.AsNoTracking()
            .Where(m => m.MobileNumber == sms.MobileNumber && m.Id != sms.Id
                && ((m.SentAt != null && m.SentAt > dayStart) || (m.SentAt == null && m.OutcomeUnknown && m.LastAttemptAt > dayStart)))
            .Select(m => m.SentAt ?? m.LastAttemptAt!.Value)
            .ToListAsync(cancellationToken);
        var minuteStart = now - TimeSpan.FromMinutes(1);
        var lastMinute = sentToday.Where(at => at > minuteStart).Order().ToList();
        if (_limits.PerMinute > 0 && lastMinute.Count >= _limits.PerMinute)
        {
            metrics.RateLimited("minute");
            return lastMinute[^_limits.PerMinute] + TimeSpan.FromMinutes(1);
        }
        if (_limits.PerDay > 0 && sentToday.Count >= _limits.PerDay)
        {
            metrics.RateLimited("day");
            return sentToday.Order().ToList()[^_limits.PerDay] + TimeSpan.FromDays(1);
        }
        return null;
    }

    private TimeSpan Backoff(int attempts)
    {
        var exponential = _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exponential, _options.MaxRetryDelay.TotalMilliseconds);
        // Jitter spreads the retries of many messages that failed together.
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>
    /// Collects due delivery reports. Each row is claimed with the same lease a send takes (<see cref="SendOneAsync"/>),
    /// so replicas passing over the same due rows never both ask the provider and both record one report: a carrier
    /// failure is one NotificationFailed and one alert, however many dispatchers run.
    /// </summary>
    private async Task<int> CheckReceiptsAsync(CancellationToken cancellationToken)
    {
        if (gateway.CircuitOpen)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.SmsMessages.AsNoTracking()
            .Where(m => m.Status == SmsStatus.Sent && m.Delivery == SmsDeliveryState.Pending && m.NextReceiptCheckAt != null && m.NextReceiptCheckAt <= now
                && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextReceiptCheckAt)
            .Select(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);

        var handled = 0;
        foreach (var id in due)
        {
            if (gateway.CircuitOpen)
            {
                break;
            }
            if (await CheckReceiptAsync(db, id, cancellationToken))
            {
                handled++;
            }
        }
        return handled;
    }

    private async Task<bool> CheckReceiptAsync(NotificationDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Still due and unclaimed when the claim lands: a replica that recorded the report first has moved the row on
        // (delivered, undelivered, or its next check later), and one still asking holds the lease.
        var claimed = await db.SmsMessages
            .Where(m => m.Id == id && m.Status == SmsStatus.Sent && m.Delivery == SmsDeliveryState.Pending && m.NextReceiptCheckAt != null && m.NextReceiptCheckAt <= now
                && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, now + _options.Lease), cancellationToken);
        if (claimed == 0)
        {
            return false; // another dispatcher has it
        }

        db.ChangeTracker.Clear();
        var sms = await db.SmsMessages.SingleAsync(m => m.Id == id, cancellationToken);
        var record = await gateway.FindAsync(sms.MobileNumber, sms.EffectiveOutId, sms.FirstAttemptAt ?? sms.SentAt ?? sms.CreatedAt, CancellationToken.None);
        var failed = sms.RecordReceipt(record, clock.GetUtcNow(), _options.ReceiptTimeout, _options.ReceiptInterval);
        if (failed is not null)
        {
            db.Publish(failed);
            metrics.Failed(sms.Template, "undelivered");
            logger.LogError("SMS {MessageId} was not delivered by the carrier ({Error}) and needs an operator", sms.Id, sms.DeliveryError);
        }
        else if (sms.Delivery == SmsDeliveryState.Delivered)
        {
            metrics.Delivered(sms.Template);
        }
        await db.CommitAsync(CancellationToken.None);
        return true;
    }
}
