using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>The batch of committed, unpublished outbox rows a relay publishes next, oldest first.</summary>
public static class OutboxBatches
{
    /// <summary>
    /// Reads (and on PostgreSQL locks) the next <paramref name="size"/> rows, in the caller's transaction. Several
    /// replicas can relay at once: each locks rows nobody else holds (<c>SKIP LOCKED</c>). The raw SQL is wrapped in
    /// EF's query, whose outer <c>SELECT</c> names the entity's columns: the services auto-prepare their statements,
    /// and a prepared statement whose result changes shape (a deployment's migration adds an outbox column while older
    /// replicas still run) fails once per connection with 0A000 "cached plan must not change result type", where a
    /// bare <c>SELECT *</c> would. The rows are read here and not handed out as a query: a filter composed around the
    /// locking subquery would lock rows it then does not return.
    /// </summary>
    public static Task<List<OutboxMessage>> TakeAsync(ServiceDbContext db, int size, CancellationToken cancellationToken) => (db.IsSqlite
        ? db.OutboxMessages.Where(m => m.PublishedAt == null).OrderBy(m => m.Sequence).Take(size)
        : db.OutboxMessages
            .FromSqlRaw("""SELECT * FROM "OutboxMessages" WHERE "PublishedAt" IS NULL ORDER BY "Sequence" LIMIT {0} FOR UPDATE SKIP LOCKED""", size)
            .OrderBy(m => m.Sequence)).ToListAsync(cancellationToken);
}
