using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ExamReview.Notification.Data;
using ExamReview.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.Notification.Webhooks;

/// <summary>Wakes the webhook dispatcher when deliveries are recorded or replayed.</summary>
public sealed class WebhookDispatchSignal : WakeSignal;

/// <summary>
/// One pass over the due deliveries (<see cref="WebhookDeliveryQueue.Due"/>: the head of each candidate's queue per
/// endpoint), sent with bounded concurrency. Each is claimed with a lease (replicas never send the same row together),
/// signed with every secret still signing, POSTed, and its attempt recorded. Logs name deliveries and endpoints by id:
/// never a URL (it may hold a receiver's token), a secret, a signature or a body.
/// </summary>
public sealed class WebhookDeliveryWorker(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    TimeProvider clock,
    IOptions<WebhookDispatchOptions> options,
    ILogger<WebhookDeliveryWorker> logger)
{
    public const string HttpClientName = "webhooks";
    private readonly WebhookDispatchOptions _options = options.Value;

    /// <summary>Sends what is due now; returns how many deliveries it attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            due = await WebhookDeliveryQueue.Due(db, clock.GetUtcNow()).Select(d => d.Id).Take(_options.BatchSize).ToListAsync(cancellationToken);
        }
        if (due.Count == 0)
        {
            return 0;
        }
        var attempted = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxConcurrency), CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await DeliverAsync(id, ct))
                {
                    Interlocked.Increment(ref attempted);
                }
            });
        return attempted;
    }

    private async Task<bool> DeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var now = clock.GetUtcNow();
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, now + _options.Lease), cancellationToken);
        if (claimed == 0)
        {
            return false; // another dispatcher has it
        }

        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == id, cancellationToken);
        var endpoint = await db.WebhookEndpoints.Include(e => e.Secrets).AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        var startedAt = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null;
        var keys = endpoint.SigningSecrets(startedAt).Where(s => s.CanSign).Select(s => s.Key).ToList();
        if (keys.Count == 0)
        {
            // Nothing goes out unsigned; the attempt says why, and rotating the endpoint's secret fixes it.
            error = NoSigningKey;
        }
        else
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
                {
                    Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Payload)),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation(WebhookSigner.IdHeader, delivery.WebhookId);
                request.Headers.TryAddWithoutValidation(WebhookSigner.TimestampHeader, WebhookSigner.Timestamp(startedAt));
                request.Headers.TryAddWithoutValidation(WebhookSigner.SignatureHeader,
                    WebhookSigner.Sign(delivery.WebhookId, startedAt, delivery.Payload, keys));
                var http = httpClients.CreateClient(HttpClientName);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                statusCode = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"the receiver answered {statusCode}";
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw; // shutting down: the lease runs out and the delivery is attempted again
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException
                or Polly.Timeout.TimeoutRejectedException)
            {
                // Exception messages of the HTTP stack name the host at most, never the path, query or headers.
                error = ex is Polly.Timeout.TimeoutRejectedException or TimeoutException or OperationCanceledException
                    ? $"no answer within {_options.AttemptTimeout.TotalSeconds:0.#} s"
                    : Truncate(ex.Message, WebhookAttempt.MaxError);
            }
        }
        stopwatch.Stop();

        if (error is null)
        {
            delivery.Succeeded(startedAt, stopwatch.Elapsed, statusCode!.Value);
        }
        else
        {
            delivery.AttemptFailed(startedAt, stopwatch.Elapsed, statusCode, error, _options.Schedule, Random.Shared.NextDouble());
            if (delivery.Status == WebhookDeliveryStatus.Failed)
            {
                logger.LogError("Webhook delivery {DeliveryId} to endpoint {EndpointId} failed for good after {Attempts} attempts: {Error}", delivery.Id, delivery.EndpointId, delivery.Attempts, error);
            }
            else
            {
                logger.LogWarning("Webhook delivery {DeliveryId} to endpoint {EndpointId} attempt {Attempt} failed ({Error}); next at {NextAttemptAt}",
                    delivery.Id, delivery.EndpointId, delivery.Attempts, error, delivery.NextAttemptAt);
            }
        }
        // Recorded whatever the shutdown token says: the attempt happened.
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    private const string NoSigningKey = "签名密钥无法解密，未发送：请轮换该地址的密钥。No signing key of the endpoint opens with the configured key ring; nothing was sent: rotate the endpoint's secret.";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>Runs the webhook worker: right after deliveries are recorded, and at least every poll interval.</summary>
public sealed class WebhookDispatcher(WebhookDeliveryWorker worker, WebhookDispatchSignal signal, IOptions<WebhookDispatchOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = new IdleBackoff(options.Value.PollInterval, options.Value.IdlePollCeiling);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await worker.RunOnceAsync(stoppingToken) == 0)
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
                logger.LogError(ex, "Webhook dispatch failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}

