using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Sms;

public sealed record SmsSendResult(bool Accepted, string? ProviderMessageId, string? Error);

/// <summary>An SMS gateway. The message id is the idempotency key, so a resend after a crash is not a second SMS.</summary>
public interface ISmsSender
{
    Task<SmsSendResult> SendAsync(Guid messageId, string mobileNumber, string text, CancellationToken cancellationToken);
}

/// <summary>Used when no provider is configured (embedded run): records the SMS as sent in the log.</summary>
public sealed class LogSmsSender(ILogger<LogSmsSender> logger) : ISmsSender
{
    public Task<SmsSendResult> SendAsync(Guid messageId, string mobileNumber, string text, CancellationToken cancellationToken)
    {
        logger.LogInformation("SMS {MessageId} to {Mobile}: {Text}", messageId, mobileNumber[..3] + "****" + mobileNumber[^4..], text);
        return Task.FromResult(new SmsSendResult(true, "log-" + messageId.ToString("N"), null));
    }
}

/// <summary>Wakes the dispatcher when a consumer queues new SMS rows.</summary>
public sealed class SmsDispatchSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>Sends queued SMS and records the outcome on each row.</summary>
public sealed class SmsDispatcher(IServiceProvider services, ISmsSender sender, SmsDispatchSignal signal, TimeProvider clock, ILogger<SmsDispatcher> logger) : BackgroundService
{
    private const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchQueuedAsync(stoppingToken);
                await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "SMS dispatch failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task DispatchQueuedAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var queued = await db.SmsMessages.Where(m => m.Status == SmsStatus.Queued).OrderBy(m => m.CreatedAt).Take(50).ToListAsync(cancellationToken);
        foreach (var sms in queued)
        {
            sms.Attempts++;
            var result = await sender.SendAsync(sms.Id, sms.MobileNumber, sms.Text, cancellationToken);
            if (result.Accepted)
            {
                sms.Status = SmsStatus.Sent;
                sms.ProviderMessageId = result.ProviderMessageId;
                sms.SentAt = clock.GetUtcNow();
                sms.Error = null;
            }
            else
            {
                sms.Error = result.Error;
                if (sms.Attempts >= MaxAttempts)
                {
                    sms.Status = SmsStatus.Failed;
                    logger.LogError("SMS {MessageId} failed after {Attempts} attempts: {Error}", sms.Id, sms.Attempts, result.Error);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
