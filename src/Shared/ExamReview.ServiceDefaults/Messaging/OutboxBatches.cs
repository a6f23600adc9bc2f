using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>The batch of committed, unpublished outbox rows a relay publishes next, oldest first.</summary>
public static class OutboxBatches
{
    /// <summary>
    /// On PostgreSQL several replicas can relay at once: each locks rows nobody else holds (<c>SKIP LOCKED</c>). The raw
    /// SQL is wrapped in EF's query, whose outer <c>SELECT</c> names the entity's columns: the services auto-prepare
    /// their statements, and a prepared statement whose result changes shape (a deployment's migration adds an outbox
    /// column while older replicas still run) fails once per connection with 0A000 "cached plan must not change result
    /// type", where a raw <c>SELECT *</c> would.
    /// </summary>
    public static IQueryable<OutboxMessage> Pending(ServiceDbContext db, int size) => db.IsSqlite
        ? db.OutboxMessages.Where(m => m.PublishedAt == null).OrderBy(m => m.Sequence).Take(size)
        : db.OutboxMessages
            .FromSqlRaw("""SELECT * FROM "OutboxMessages" WHERE "PublishedAt" IS NULL ORDER BY "Sequence" LIMIT {0} FOR UPDATE SKIP LOCKED""", size)
            .OrderBy(m => m.Sequence);
}
