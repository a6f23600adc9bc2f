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
        app.MapGet($"{routePrefix}/ops/outbox", (TDbContext db, CancellationToken ct) => GetAsync(db, serviceName, ct))
        .RequireAuthorization(Policies.Operator)
        .WithTags("Operations")
        .WithName($"get{serviceName}Outbox")
        .WithSummary("本服务的发件箱积压（运营人员）")
        .WithDescription("Outbox backlog of this service.");
    }

    /// <summary>Aggregated in the database: a broker outage at the peak leaves a backlog of many thousand rows, not one to read into memory.</summary>
    private static async Task<Ok<OutboxStatus>> GetAsync<TDbContext>(TDbContext db, string serviceName, CancellationToken ct)
        where TDbContext : ServiceDbContext
    {
        var pending = db.OutboxMessages.AsNoTracking().Where(m => m.PublishedAt == null).OrderBy(m => m.Sequence);
        var count = await pending.CountAsync(ct);
        var oldest = await pending.Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        var maxAttempts = await pending.MaxAsync(m => (int?)m.Attempts, ct) ?? 0;
        var lastError = await pending.Where(m => m.LastError != null).Select(m => m.LastError).FirstOrDefaultAsync(ct);
        var published = await db.OutboxMessages.LongCountAsync(m => m.PublishedAt != null, ct);
        return TypedResults.Ok(new OutboxStatus(serviceName, count, oldest, maxAttempts, lastError, published));
    }
}
