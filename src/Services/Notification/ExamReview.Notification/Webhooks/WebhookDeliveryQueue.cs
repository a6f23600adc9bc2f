using ExamReview.Notification.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Webhooks;

/// <summary>
/// Which deliveries may go now. The ordering rule: per endpoint and candidate, only the pending delivery with the
/// lowest sequence (the head) is ever sent; a later event waits until every earlier one has been delivered or has
/// failed for good. Deliveries of a disabled endpoint wait. Heads of different candidates go in parallel.
/// </summary>
public static class WebhookDeliveryQueue
{
    public static IQueryable<WebhookDelivery> Due(NotificationDbContext db, DateTimeOffset now) =>
        db.WebhookDeliveries
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .Where(d => db.WebhookEndpoints.Any(e => e.Id == d.EndpointId && e.Enabled))
            .Where(d => !db.WebhookDeliveries.Any(e => e.EndpointId == d.EndpointId && e.CandidateId == d.CandidateId
                && e.Status == WebhookDeliveryStatus.Pending && e.Sequence < d.Sequence))
            .OrderBy(d => d.NextAttemptAt)
            .ThenBy(d => d.Sequence);
}

/// <summary>
/// Turns one consumed platform message into a delivery row per subscribed endpoint of its area, in the consumer's
/// transaction (the inbox row commits with them: a duplicated message adds nothing). The next sequence of a candidate
/// is read here; two messages for one candidate racing on another replica collide on the unique
/// (endpoint, candidate, sequence) key and the loser is retried by the bus.
/// </summary>
public static class WebhookFanOut
{
    public static async Task<int> RecordAsync(NotificationDbContext db, Guid sourceMessageId, IReadOnlyList<WebhookEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }
        var areaCode = events[0].AreaCode;
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.AreaCode == areaCode).ToListAsync(cancellationToken);
        var recorded = 0;
        foreach (var endpoint in endpoints)
        {
            foreach (var @event in events.Where(e => endpoint.Wants(e.Type)))
            {
                var last = await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id && d.CandidateId == @event.CandidateId)
                    .MaxAsync(d => (long?)d.Sequence, cancellationToken) ?? 0;
                // Rows this message added a moment ago (status_changed before approved) are not in the database yet.
                var pendingHere = db.ChangeTracker.Entries<WebhookDelivery>()
                    .Count(d => d.State == EntityState.Added && d.Entity.EndpointId == endpoint.Id && d.Entity.CandidateId == @event.CandidateId);
                var id = Guid.CreateVersion7();
                var sequence = last + pendingHere + 1;
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    Id = id,
                    EndpointId = endpoint.Id,
                    AreaCode = areaCode,
                    CandidateId = @event.CandidateId,
                    Sequence = sequence,
                    SourceMessageId = sourceMessageId,
                    EventType = @event.Type,
                    Payload = WebhookPayloads.Serialize(@event, id, sequence),
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
                recorded++;
            }
        }
        return recorded;
    }
}
