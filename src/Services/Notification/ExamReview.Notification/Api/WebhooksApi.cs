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
/// Provinces' webhook endpoints: registration, event types, secrets and rotation. A province sees and changes only its
/// own area's endpoints (another area's id answers 404, as a missing one does); operators see all and may pause one.
/// The delivery log and replays are in <see cref="WebhookDeliveriesApi"/>.
/// </summary>
public static class WebhooksApi
{
    public const string Prefix = NotificationsApi.Prefix + "/webhooks";

    public static void MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Webhooks");
        group.MapGet("/event-types", EventTypes).RequireAuthorization(WebhookAccess.ProvinceOrOperator)
            .WithName("listWebhookEventTypes").WithSummary("可订阅的事件类型").WithDescription("The event types an endpoint can subscribe to.");
        group.MapPost("/endpoints", Create).RequireAuthorization(WebhookAccess.Province)
            .WithName("createWebhookEndpoint").WithSummary("登记接收地址（返回签名密钥，仅此一次）")
            .WithDescription("Registers a receiver for the caller's area; the answer holds its signing secret, shown only this once.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "webhook_url_invalid", "webhook_url_insecure", "webhook_url_forbidden", "webhook_event_type_unknown")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "webhook_endpoint_limit", "webhook_url_duplicate");
        group.MapGet("/endpoints", List).RequireAuthorization(WebhookAccess.ProvinceOrOperator)
            .WithName("listWebhookEndpoints").WithSummary("本考区的接收地址（运营人员可看全部，可按考区筛选）")
            .WithDescription("The caller's area's endpoints; operators see every area's, optionally one area's.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_area");
        group.MapGet("/endpoints/{endpointId:guid}", Get).RequireAuthorization(WebhookAccess.ProvinceOrOperator)
            .WithName("getWebhookEndpoint").WithSummary("一个接收地址").WithDescription("One endpoint (its secrets' dates, never the secrets).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_endpoint_not_found");
        group.MapPatch("/endpoints/{endpointId:guid}", Update).RequireAuthorization(WebhookAccess.ProvinceOrOperator)
            .WithName("updateWebhookEndpoint").WithSummary("修改接收地址、订阅的事件类型，或暂停/恢复（运营人员只能暂停/恢复）")
            .WithDescription("Changes the URL, event types or description, or pauses/resumes the endpoint; operators may only pause or resume it.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_endpoint_not_found")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, "webhook_operator_pause_only")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "webhook_url_duplicate")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "webhook_url_invalid", "webhook_url_insecure", "webhook_url_forbidden", "webhook_event_type_unknown");
        group.MapDelete("/endpoints/{endpointId:guid}", Delete).RequireAuthorization(WebhookAccess.Province)
            .WithName("deleteWebhookEndpoint").WithSummary("删除接收地址（连同其投递记录）").WithDescription("Deletes the endpoint with its delivery log.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_endpoint_not_found");
        group.MapPost("/endpoints/{endpointId:guid}/secret/rotate", Rotate).RequireAuthorization(WebhookAccess.Province)
            .WithName("rotateWebhookSecret").WithSummary("轮换签名密钥（旧密钥在过渡期内继续签名）")
            .WithDescription("Issues a new signing secret; the previous ones keep signing for the overlap window so the receiver can switch.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "webhook_endpoint_not_found");
    }

    private static Ok<List<WebhookEventTypeView>> EventTypes() =>
        TypedResults.Ok(WebhookEventTypes.All.Select(t => new WebhookEventTypeView(t.Key, t.Value)).ToList());

    public sealed record CreateWebhookCall(
        CreateWebhookEndpointRequest Request,
        ClaimsPrincipal User,
        NotificationDbContext Db,
        TimeProvider Clock,
        WebhookTargetPolicy Targets);

    private static async Task<Results<Created<WebhookEndpointCreated>, ProblemHttpResult>> Create([AsParameters] CreateWebhookCall call, CancellationToken ct)
    {
        var (request, user, db, clock, targets) = call;
        if ((WebhookAccess.CheckUrl(request.Url, targets) ?? WebhookAccess.CheckEventTypes(request.EventTypes)) is { } refused)
        {
            return refused;
        }
        if (request.Description is { Length: > 200 })
        {
            return Problems.Invalid("description", "说明不能超过 200 个字符。", "The description is longer than 200 characters.");
        }
        var area = user.Area()!;
        // Counted and inserted under the area's lock: concurrent creations must not each see room for one more.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WebhookAreaLock.TakeAsync(db, area, ct);
        if (await db.WebhookEndpoints.CountAsync(e => e.AreaCode == area, ct) >= WebhookEndpoint.MaxPerArea)
        {
            return Problems.Conflict("webhook_endpoint_limit", $"每个考区最多登记 {WebhookEndpoint.MaxPerArea} 个接收地址，请先删除不用的地址。",
                $"An area may register at most {WebhookEndpoint.MaxPerArea} endpoints; delete one first.");
        }
        var areaEndpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.AreaCode == area).ToListAsync(ct);
        if (WebhookEndpoint.DuplicateOf(areaEndpoints, request.Url) is { } existing)
        {
            return DuplicateUrl(existing);
        }
        var now = clock.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            AreaCode = area,
            Url = request.Url,
            Description = request.Description,
            CreatedAt = now,
            CreatedBy = user.Actor(),
        };
        endpoint.Subscribe(request.EventTypes, now);
        var secret = endpoint.RotateSecret(now, TimeSpan.Zero);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"{Prefix}/endpoints/{endpoint.Id}", new WebhookEndpointCreated(WebhookViews.ToView(endpoint, now), secret.Display));
    }

    private static async Task<Results<Ok<List<WebhookEndpointView>>, ProblemHttpResult>> List(string? areaCode, ClaimsPrincipal user, NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var query = db.WebhookEndpoints.AsNoTracking().Include(e => e.Secrets).AsQueryable();
        var area = user.IsInRole(Roles.Operator) ? areaCode : user.Area();
        // An operator's filter naming an area never announced here would list nothing: refused, as a filter no answer can meet.
        if (user.IsInRole(Roles.Operator) && area is not null
            && await AreaChecks.RefuseAreaAsync(db, area, StatusCodes.Status422UnprocessableEntity, ct) is { } unknown)
        {
            return unknown;
        }
        if (area is not null)
        {
            query = query.Where(e => e.AreaCode == area);
        }
        var endpoints = await query.OrderBy(e => e.AreaCode).ThenBy(e => e.CreatedAt).Take(500).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(endpoints.Select(e => WebhookViews.ToView(e, now)).ToList());
    }

    private static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> Get(Guid endpointId, ClaimsPrincipal user, NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var endpoint = await WebhookAccess.FindEndpointAsync(db, user, endpointId, ct);
        return endpoint is null ? WebhookAccess.EndpointNotFound(endpointId) : TypedResults.Ok(WebhookViews.ToView(endpoint, clock.GetUtcNow()));
    }

    /// <summary>What a change of an endpoint needs: the route's id, the body, and the services it works with.</summary>
    public sealed record UpdateWebhookCall(
        [FromRoute(Name = "endpointId")] Guid EndpointId,
        UpdateWebhookEndpointRequest Request,
        ClaimsPrincipal User,
        NotificationDbContext Db,
        TimeProvider Clock,
        WebhookDispatchSignal Dispatch,
        WebhookTargetPolicy Targets);

    private static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> Update([AsParameters] UpdateWebhookCall call, CancellationToken ct)
    {
        var request = call.Request;
        var endpoint = await WebhookAccess.FindEndpointAsync(call.Db, call.User, call.EndpointId, ct);
        if (endpoint is null)
        {
            return WebhookAccess.EndpointNotFound(call.EndpointId);
        }
        // Who may ask for the change comes before what it asks: an operator learns "pause only", not what is wrong with a URL.
        var change = new WebhookEndpointChange(request.Url, request.EventTypes, request.Description, request.Enabled);
        var byOperator = call.User.IsInRole(Roles.Operator);
        if (WebhookEndpoint.Refuse(change, byOperator) is not null)
        {
            return OperatorMayOnlyPause();
        }
        if (((request.Url is null ? null : WebhookAccess.CheckUrl(request.Url, call.Targets))
            ?? (request.EventTypes is null ? null : WebhookAccess.CheckEventTypes(request.EventTypes))) is { } refused)
        {
            return refused;
        }
        if (request.Description is { Length: > 200 })
        {
            return Problems.Invalid("description", "说明不能超过 200 个字符。", "The description is longer than 200 characters.");
        }
        // A new URL, or a resumed endpoint, must not duplicate another enabled one of the area: checked and saved
        // under the area's lock, as creation is, so two concurrent changes cannot both pass.
        await using var transaction = await call.Db.Database.BeginTransactionAsync(ct);
        var url = request.Url ?? endpoint.Url;
        if ((request.Url is not null || request.Enabled == true) && (request.Enabled ?? endpoint.Enabled))
        {
            await WebhookAreaLock.TakeAsync(call.Db, endpoint.AreaCode, ct);
            var areaEndpoints = await call.Db.WebhookEndpoints.AsNoTracking().Where(e => e.AreaCode == endpoint.AreaCode).ToListAsync(ct);
            if (WebhookEndpoint.DuplicateOf(areaEndpoints, url, endpoint.Id) is { } existing)
            {
                return DuplicateUrl(existing);
            }
        }
        var now = call.Clock.GetUtcNow();
        if (endpoint.Change(change, byOperator, now) is not null)
        {
            return OperatorMayOnlyPause();
        }
        await call.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        call.Dispatch.Notify(); // a resumed endpoint's backlog goes out now
        return TypedResults.Ok(WebhookViews.ToView(endpoint, now));
    }

    private static ProblemHttpResult DuplicateUrl(WebhookEndpoint existing) =>
        Problems.Conflict("webhook_url_duplicate",
            $"本考区已有启用中的接收地址使用该 URL（{existing.Id}）：同一地址只登记一次，可修改其订阅的事件类型；或先暂停、删除原地址。",
            $"An enabled endpoint of this area already has this URL ({existing.Id}): register an address once and change its event types, or pause or delete the existing one first.");

    private static ProblemHttpResult OperatorMayOnlyPause() =>
        Problems.Forbidden("webhook_operator_pause_only",
            "运营人员只能暂停或恢复接收地址（enabled）；地址、订阅的事件类型和说明由所属省级系统修改。",
            "Operators may only pause or resume an endpoint (enabled); its URL, event types and description are the province's to change.");

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid endpointId, ClaimsPrincipal user, NotificationDbContext db, CancellationToken ct)
    {
        var endpoint = await WebhookAccess.FindEndpointAsync(db, user, endpointId, ct);
        if (endpoint is null)
        {
            return WebhookAccess.EndpointNotFound(endpointId);
        }
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The body is optional: without one the default overlap applies.</summary>
    public sealed record RotateWebhookCall(
        [FromRoute(Name = "endpointId")] Guid EndpointId,
        [property: FromBody] RotateWebhookSecretRequest? Request,
        ClaimsPrincipal User,
        NotificationDbContext Db,
        TimeProvider Clock);

    private static async Task<Results<Ok<WebhookSecretIssued>, ProblemHttpResult>> Rotate([AsParameters] RotateWebhookCall call, CancellationToken ct)
    {
        var (endpointId, request, user, db, clock) = call;
        var overlap = request?.OverlapMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : WebhookRotation.DefaultOverlap;
        if (overlap < TimeSpan.Zero || overlap > WebhookRotation.MaxOverlap)
        {
            return Problems.Invalid("overlapMinutes", "过渡期须在 0 到 10080 分钟（7 天）之间。", "The overlap must be between 0 and 10080 minutes (7 days).");
        }
        var endpoint = await WebhookAccess.FindEndpointAsync(db, user, endpointId, ct);
        if (endpoint is null)
        {
            return WebhookAccess.EndpointNotFound(endpointId);
        }
        var now = clock.GetUtcNow();
        var removed = endpoint.Secrets.Where(s => s.ExpiresAt is { } expires && expires <= now).ToList();
        var issued = endpoint.RotateSecret(now, overlap);
        db.WebhookSecrets.RemoveRange(removed);
        db.WebhookSecrets.Add(issued);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new WebhookSecretIssued(issued.Id, issued.Display, now + overlap));
    }
}
