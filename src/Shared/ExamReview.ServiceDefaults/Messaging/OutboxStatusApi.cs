using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Messaging;

public sealed record OutboxStatus(string Service, int Pending, DateTimeOffset? OldestPendingCreatedAt, int MaxAttempts, string? LastError, long Published);

/// <summary>Operators watch each service's outbox: a growing backlog means the broker is unreachable.</summary>
public static class OutboxStatusApi
{
    public static void MapOutboxStatus<TDbContext>(this IEndpointRouteBuilder app, string routePrefix, string serviceName)
        where TDbContext : ServiceDbContext
    {
        app.MapGet($"{routePrefix}/ops/outbox", async Task<Ok<OutboxStatus>> (TDbContext db, CancellationToken ct) =>
        {
            var pending = await db.OutboxMessages.AsNoTracking().Where(m => m.PublishedAt == null)
                .OrderBy(m => m.Sequence)
                .Select(m => new { m.CreatedAt, m.Attempts, m.LastError })
                .ToListAsync(ct);
            var published = await db.OutboxMessages.LongCountAsync(m => m.PublishedAt != null, ct);
            return TypedResults.Ok(new OutboxStatus(
                serviceName,
                pending.Count,
                pending.FirstOrDefault()?.CreatedAt,
                pending.Count == 0 ? 0 : pending.Max(p => p.Attempts),
                pending.FirstOrDefault(p => p.LastError != null)?.LastError,
                published));
        })
        .RequireAuthorization(Policies.Operator)
        .WithTags("Operations")
        .WithName($"get{serviceName}Outbox")
        .WithSummary("本服务的发件箱积压（运营人员）")
        .WithDescription("Outbox backlog of this service.");
    }
}
