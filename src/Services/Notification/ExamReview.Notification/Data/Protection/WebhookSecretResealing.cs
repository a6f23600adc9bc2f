using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Data.Protection;

/// <summary>
/// Seals, under the current key, every stored signing key that is not: keys written before encryption, and keys sealed
/// under an older key after a rotation of the key ring (so the old key can then be removed). Runs once at start-up; the
/// table holds a few keys per endpoint, so it reads them all. Idempotent, and harmless beside a replica doing the same
/// (both write a valid sealing of the same key).
/// </summary>
public static class WebhookSecretResealing
{
    private sealed class StoredKey
    {
        public Guid Id { get; set; }
        public byte[] Key { get; set; } = [];
    }

    /// <summary>How many keys were sealed again, and how many the ring cannot open (left as they are: their endpoints need a rotation).</summary>
    public sealed record Outcome(int SealedAgain, int Unopenable);

    public static async Task<Outcome> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<WebhookSecretProtector>();
        // The stored bytes as they are, past the converter: which key sealed them is in the bytes.
        var stale = (await db.Database.SqlQueryRaw<StoredKey>("""SELECT "Id", "Key" FROM "WebhookSecrets" """).ToListAsync(ct))
            .Where(k => protector.NeedsResealing(k.Key))
            .Select(k => k.Id)
            .ToList();
        if (stale.Count == 0)
        {
            return new Outcome(0, 0);
        }
        var secrets = await db.WebhookSecrets.Where(s => stale.Contains(s.Id)).ToListAsync(ct);
        // A key that did not open reads as empty: sealing that would destroy it for good, so it is left for an operator.
        var openable = secrets.Where(s => s.CanSign).ToList();
        foreach (var secret in openable)
        {
            db.Entry(secret).Property(s => s.Key).IsModified = true;
        }
        await db.SaveChangesAsync(ct);
        return new Outcome(openable.Count, secrets.Count - openable.Count);
    }
}

/// <summary>Runs <see cref="WebhookSecretResealing"/> once at start-up, after the migrations (registered after the database).</summary>
public sealed class WebhookSecretResealingService(IServiceProvider services, ILogger<WebhookSecretResealingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await WebhookSecretResealing.RunAsync(services, stoppingToken);
            if (outcome.SealedAgain > 0)
            {
                logger.LogInformation("Sealed {Count} webhook signing keys under the current key", outcome.SealedAgain);
            }
            if (outcome.Unopenable > 0)
            {
                logger.LogError("{Count} webhook signing keys cannot be opened with the configured key ring (sealed under a removed key?): their endpoints' deliveries fail until their secrets are rotated", outcome.Unopenable);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is CryptographicException or System.Data.Common.DbException or DbUpdateException or InvalidOperationException
            or FormatException or TimeoutException)
        {
            // Deliveries keep going (every configured key still opens what it sealed); the next start tries again.
            logger.LogError(ex, "Sealing webhook signing keys under the current key failed");
        }
    }
}
