using System.Security.Claims;
using ExamReview.Notification.Data;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

/// <summary>
/// The delivery log of an endpoint (attempts, status codes, durations, next attempt) and replays: by the province for its
/// own area's deliveries, by an operator for any. A replay sends the same body under the same <c>webhook-id</c>.
/// </summary>
public static class WebhookDeliveriesApi
{
    private const int MaxListed = 500;

    public static void MapWebhookDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(WebhooksApi.Prefix).WithTags("Webhooks").RequireAuthorization(WebhookAccess.ProvinceOrOperator);
        group.MapGet("/endpoints/{endpointId:guid}/deliveries", List)
            .WithName("listWebhookDeliveries").WithSummary("投递记录（可按状态、考生筛选，最新在前）")
            .WithDescription("The endpoint's delivery log, newest first, optionally by status or candidate.")
            .WithParameterValues("status", nameof(WebhookDeliveryStatus.Pending), nameof(WebhookDeliveryStatus.Delivered), nameof(WebhookDeliveryStatus.Failed))
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_endpoint_not_found");
        group.MapPost("/endpoints/{endpointId:guid}/replay", ReplayFailed)
            .WithName("replayFailedWebhookDeliveries").WithSummary("重新投递该地址自某时起所有失败的事件")
            .WithDescription("Replays every Failed delivery of the endpoint recorded at or after `since`, in their original order.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_endpoint_not_found");
        group.MapGet("/deliveries/{deliveryId:guid}", Get)
            .WithName("getWebhookDelivery").WithSummary("一次投递：发送的正文和每次尝试").WithDescription("One delivery with its body and every attempt.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_delivery_not_found");
        group.MapPost("/deliveries/{deliveryId:guid}/replay", Replay)
            .WithName("replayWebhookDelivery").WithSummary("重新投递一个事件（同一 webhook-id、同一正文）")
            .WithDescription("Sends the delivery again (same webhook-id and body) with a fresh retry window.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_delivery_not_found")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "webhook_delivery_pending");
    }

    public sealed record DeliveryListRequest(
        [FromRoute(Name = "endpointId")] Guid EndpointId,
        [FromQuery(Name = "status")] string? Status,
        ClaimsPrincipal User,
        NotificationDbContext Db);

    // candidateId and limit stay the handler's own: a value that does not parse is named by its wire name.
    private static async Task<Results<Ok<List<WebhookDeliveryView>>, ProblemHttpResult>> List(
        [AsParameters] DeliveryListRequest request, Guid? candidateId, int? limit, CancellationToken ct)
    {
        var (endpointId, status, user, db) = request;
        WebhookDeliveryStatus? wanted = null;
        if (status is not null)
        {
            // By name only: Enum.TryParse also takes numbers ("0") and comma lists.
            if (!Enum.GetNames<WebhookDeliveryStatus>().Contains(status, StringComparer.Ordinal) || !Enum.TryParse<WebhookDeliveryStatus>(status, out var parsed))
            {
                return Problems.Invalid("status", "状态只能是 Pending、Delivered 或 Failed。", "status must be Pending, Delivered or Failed.");
            }
            wanted = parsed;
        }
        if (limit is < 1 or > MaxListed)
        {
            return Problems.Invalid("limit", $"limit 须在 1 到 {MaxListed} 之间。", $"limit must be between 1 and {MaxListed}.");
        }
        if (await WebhookAccess.FindEndpointAsync(db, user, endpointId, ct) is null)
        {
            return WebhookAccess.EndpointNotFound(endpointId);
        }
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (wanted is { } s)
        {
            query = query.Where(d => d.Status == s);
        }
        if (candidateId is { } candidate)
        {
            query = query.Where(d => d.CandidateId == candidate);
        }
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Sequence).Take(limit ?? 100).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(WebhookViews.ToView).ToList());
    }

    private static async Task<Results<Ok<WebhookDeliveryDetail>, ProblemHttpResult>> Get(Guid deliveryId, ClaimsPrincipal user, NotificationDbContext db, CancellationToken ct)
    {
        var delivery = await FindDeliveryAsync(db, user, deliveryId, ct);
        return delivery is null ? DeliveryNotFound(deliveryId) : TypedResults.Ok(WebhookViews.ToDetail(delivery));
    }

    public sealed record ReplayCall(
        [FromRoute(Name = "deliveryId")] Guid DeliveryId,
        ClaimsPrincipal User,
        NotificationDbContext Db,
        TimeProvider Clock,
        WebhookDispatchSignal Dispatch);

    private static async Task<Results<Accepted<WebhookDeliveryView>, ProblemHttpResult>> Replay([AsParameters] ReplayCall call, CancellationToken ct)
    {
        var (deliveryId, user, db, clock, dispatch) = call;
        var delivery = await FindDeliveryAsync(db, user, deliveryId, ct);
        if (delivery is null)
        {
            return DeliveryNotFound(deliveryId);
        }
        if (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            return Problems.Conflict("webhook_delivery_pending", $"投递 {deliveryId} 尚在进行中（等待重试或等待同一考生更早的事件），无需重新投递。",
                $"Delivery {deliveryId} is still pending (waiting for a retry or for an earlier event of the candidate).");
        }
        delivery.Replay(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        dispatch.Notify();
        return TypedResults.Accepted($"{WebhooksApi.Prefix}/deliveries/{delivery.Id}", WebhookViews.ToView(delivery));
    }

    public sealed record ReplayFailedCall(
        [FromRoute(Name = "endpointId")] Guid EndpointId,
        ReplayWebhookDeliveriesRequest Request,
        ClaimsPrincipal User,
        NotificationDbContext Db,
        TimeProvider Clock,
        WebhookDispatchSignal Dispatch);

    private static async Task<Results<Ok<WebhookReplayResult>, ProblemHttpResult>> ReplayFailed([AsParameters] ReplayFailedCall call, CancellationToken ct)
    {
        var (endpointId, request, user, db, clock, dispatch) = call;
        if (request.Since is not { } since)
        {
            return Problems.Invalid("since", "请填写从何时起重新投递失败的事件（since，ISO 8601 时间，如 2027-03-01T08:00:00+08:00）。",
                "since is required: replay the failed deliveries recorded at or after this time (ISO 8601).");
        }
        if (await WebhookAccess.FindEndpointAsync(db, user, endpointId, ct) is null)
        {
            return WebhookAccess.EndpointNotFound(endpointId);
        }
        var failed = await db.WebhookDeliveries
            .Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Failed && d.CreatedAt >= since)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var delivery in failed)
        {
            delivery.Replay(now);
        }
        await db.SaveChangesAsync(ct);
        dispatch.Notify();
        return TypedResults.Ok(new WebhookReplayResult(failed.Count));
    }

    private static Task<WebhookDelivery?> FindDeliveryAsync(NotificationDbContext db, ClaimsPrincipal user, Guid deliveryId, CancellationToken ct)
    {
        var query = db.WebhookDeliveries.Include(d => d.AttemptLog).Where(d => d.Id == deliveryId);
        if (!user.IsInRole(Roles.Operator))
        {
            var area = user.Area();
            query = query.Where(d => d.AreaCode == area);
        }
        return query.SingleOrDefaultAsync(ct);
    }

    private static ProblemHttpResult DeliveryNotFound(Guid deliveryId) =>
        Problems.NotFound("webhook_delivery_not_found", $"没有编号为 {deliveryId} 的投递（或它不属于您的考区）。", $"No webhook delivery {deliveryId} in your area.");
}
