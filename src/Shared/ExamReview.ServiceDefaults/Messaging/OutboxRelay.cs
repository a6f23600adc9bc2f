using System.Diagnostics;
using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExamReview.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest sleep of an idle relay. A commit wakes the relay at once, so the poll only finds rows a process
    /// left behind when it died (and its own start-up publishes those): an idle relay need not query every second.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int BatchSize { get; set; } = 100;
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Publishes a service's committed outbox rows in order, marking each only after the broker confirmed
/// it (MassTransit waits for RabbitMQ publisher confirms). A failure leaves the row pending and the relay
/// backs off and tries again, so a broker outage delays messages but never loses them. The message id is
/// the outbox row's id, which is what consumers' inboxes deduplicate on.
/// </summary>
public sealed class OutboxRelay<TDbContext>(
    IServiceProvider services,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : ServiceDbContext
{
    private static readonly ActivitySource Source = new("ExamReview.Outbox");
    private readonly OutboxOptions _options = options.Value;
    private readonly OutboxSignal.Subscription _wake = signal.Subscribe();
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        var idle = new IdleBackoff(_options.PollInterval, _options.IdlePollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (backoff > TimeSpan.Zero)
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                int published, total = 0;
                do
                {
                    published = await PublishBatchAsync(stoppingToken);
                    total += published;
                }
                while (published == _options.BatchSize && !stoppingToken.IsCancellationRequested);
                backoff = TimeSpan.Zero;
                await CleanupAsync(stoppingToken);
                await _wake.WaitAsync(idle.After(foundWork: total > 0), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
                logger.LogWarning(ex, "Outbox relay for {Context} failed; retrying in {Backoff}", typeof(TDbContext).Name, backoff);
            }
        }
    }

    private async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var pending = await OutboxBatches.TakeAsync(db, _options.BatchSize, cancellationToken);

        var published = 0;
        Exception? failure = null;
        foreach (var row in pending)
        {
            try
            {
                await PublishAsync(row, cancellationToken);
                row.PublishedAt = DateTimeOffset.UtcNow;
                published++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                row.Attempts++;
                row.LastError = Truncate(ex.Message, 2000);
                failure = ex;
                break; // keep order: later rows wait for this one
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        if (failure is not null)
        {
            throw new OutboxPublishException($"Publishing outbox messages of {typeof(TDbContext).Name} failed", failure);
        }
        return published;
    }

    private async Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = ContractTypes.Resolve(row.MessageType)
            ?? throw new InvalidOperationException($"Unknown message type {row.MessageType}");
        var message = JsonSerializer.Deserialize(row.Body, type, ServiceDbContext.MessageJson)
            ?? throw new InvalidOperationException($"Empty body for outbox message {row.MessageId}");

        // Continue the trace of the request or message that wrote the row.
        using var activity = row.TraceParent is not null && ActivityContext.TryParse(row.TraceParent, null, out var parent)
            ? Source.StartActivity("outbox publish " + type.Name, ActivityKind.Producer, parent)
            : Source.StartActivity("outbox publish " + type.Name, ActivityKind.Producer);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        await bus.Publish(message, type, context => context.MessageId = row.MessageId, timeout.Token);
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (now - _lastCleanup < TimeSpan.FromMinutes(10))
        {
            return;
        }
        _lastCleanup = now;
        var cutoff = now - _options.Retention;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.OutboxMessages.Where(m => m.PublishedAt != null && m.PublishedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.InboxMessages.Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

public sealed class OutboxPublishException(string message, Exception inner) : Exception(message, inner);
