using ExamReview.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ExamReview.Notification.Sms;

/// <summary>Runs the delivery worker: right after new rows are queued, and at least every poll interval.</summary>
public sealed class SmsDispatcher(SmsDeliveryWorker worker, SmsDispatchSignal signal, IOptions<SmsDispatchOptions> options, ILogger<SmsDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = new IdleBackoff(options.Value.PollInterval, options.Value.IdlePollCeiling);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await worker.RunOnceAsync(stoppingToken);
                if (handled == 0)
                {
                    await signal.WaitAsync(idle.After(foundWork: false), stoppingToken);
                }
                else
                {
                    idle.After(foundWork: true);
                }
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
}
