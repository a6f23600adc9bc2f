using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Messaging;

public static class UnitOfWorkExtensions
{
    /// <summary>
    /// Commits the tracked state and the queued outbox rows in one transaction (the commit wakes the relays: OutboxWakeInterceptor).
    /// Every HTTP command ends here.
    /// </summary>
    public static async Task CommitAsync(this ServiceDbContext db, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
