using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>
/// A POST a client sent under an <c>Idempotency-Key</c>: the fingerprint of the request, and once it succeeded the
/// response to replay. <see cref="StatusCode"/> null: the first request is still running.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Client { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Body { get; set; }
    public string? ETag { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class IdempotencyOptions
{
    public const string Section = "Provincial:Idempotency";

    /// <summary>How long a key and its response are kept; never less than the 24 h promised to clients.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A first request still unfinished after this long is taken as abandoned (its process died): the key may be used again.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(24);

    public TimeSpan EffectiveRetention => Retention < MinimumRetention ? MinimumRetention : Retention;
}

public static class IdempotencyModel
{
    public const int MaxKeyLength = 200;

    public static ModelBuilder ApplyIdempotencyKeys(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdempotencyRecord>(builder =>
        {
            builder.ToTable("IdempotencyKeys");
            builder.HasKey(x => new { x.Client, x.Key });
            builder.Property(x => x.Client).HasMaxLength(200);
            builder.Property(x => x.Key).HasMaxLength(MaxKeyLength);
            builder.Property(x => x.RequestHash).HasMaxLength(64);
            builder.Property(x => x.ContentType).HasMaxLength(100);
            builder.Property(x => x.ETag).HasMaxLength(100);
            builder.Property(x => x.Location).HasMaxLength(500);
            builder.HasIndex(x => x.ExpiresAt);
        });
        return modelBuilder;
    }
}

/// <summary>Forgets keys past their retention, in each service's own database.</summary>
internal sealed class IdempotencyKeyCleanup<TDbContext>(IServiceScopeFactory scopes, IdempotencyOptions options, TimeProvider clock, ILogger<IdempotencyKeyCleanup<TDbContext>> logger)
    : BackgroundService where TDbContext : ServiceDbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CleanupInterval, clock);
        do
        {
            try
            {
                await ForgetExpiredAsync(scopes, clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment: the next round cleans up.
                logger.LogWarning(e, "Forgetting expired idempotency keys of {Context} failed", typeof(TDbContext).Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public static async Task<int> ForgetExpiredAsync(IServiceScopeFactory scopes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        return await db.Set<IdempotencyRecord>().Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }
}
