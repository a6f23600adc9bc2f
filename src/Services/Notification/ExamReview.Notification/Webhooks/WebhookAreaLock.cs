using System.Security.Cryptography;
using System.Text;
using ExamReview.Notification.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Webhooks;

/// <summary>
/// Serialises the registrations of one area's endpoints, so the count checked against
/// <see cref="WebhookEndpoint.MaxPerArea"/> is still the count when the new one commits: twelve creations at once used
/// to each count nine and leave fifteen. Call inside the transaction that counts and inserts. On PostgreSQL a
/// transaction-scoped advisory lock per area (released at commit or rollback); on SQLite the transaction itself is
/// enough, since EF begins it <c>IMMEDIATE</c> there and so takes the one write lock before the count.
/// </summary>
internal static class WebhookAreaLock
{
    public static async Task TakeAsync(NotificationDbContext db, string areaCode, CancellationToken cancellationToken)
    {
        if (db.IsSqlite)
        {
            return;
        }
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("webhook-endpoints:" + areaCode)), 0);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
    }
}
