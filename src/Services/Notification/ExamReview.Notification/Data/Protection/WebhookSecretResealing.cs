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

    /// <summary>Returns how many keys were sealed again.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
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
            return 0;
        }
        var secrets = await db.WebhookSecrets.Where(s => stale.Contains(s.Id)).ToListAsync(ct);
        foreach (var secret in secrets)
        {
            db.Entry(secret).Property(s => s.Key).IsModified = true;
        }
        await db.SaveChangesAsync(ct);
        return secrets.Count;
    }
}

/// <summary>Runs <see cref="WebhookSecretResealing"/> once at start-up, after the migrations (registered after the database).</summary>
public sealed class WebhookSecretResealingService(IServiceProvider services, ILogger<WebhookSecretResealingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var sealedAgain = await WebhookSecretResealing.RunAsync(services, stoppingToken);
            if (sealedAgain > 0)
            {
                logger.LogInformation("Sealed {Count} webhook signing keys under the current key", sealedAgain);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is CryptographicException or DbUpdateException or InvalidOperationException)
        {
            // Deliveries keep going (every configured key still opens what it sealed); the next start tries again.
            logger.LogError(ex, "Sealing webhook signing keys under the current key failed");
        }
    }
}
