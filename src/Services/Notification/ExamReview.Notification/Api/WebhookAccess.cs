using System.Security.Claims;
using ExamReview.Notification.Data;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

/// <summary>Who may use the webhook API, how a caller's scope narrows it, and the refusals its handlers share.</summary>
internal static class WebhookAccess
{
    /// <summary>A provincial system, scoped to its area.</summary>
    public static readonly AuthorizationPolicy Province = new AuthorizationPolicyBuilder()
        .RequireRole(Roles.Province).RequireClaim(PlatformClaims.Area).Build();

    /// <summary>A provincial system in its area, or a platform operator (every area).</summary>
    public static readonly AuthorizationPolicy ProvinceOrOperator = new AuthorizationPolicyBuilder()
        .RequireRole(Roles.Province, Roles.Operator)
        .RequireAssertion(c => c.User.IsInRole(Roles.Operator) || c.User.HasClaim(x => x.Type == PlatformClaims.Area))
        .Build();

    /// <summary>The endpoint if the caller may see it: an operator any, a province its own area's. Tracked, with its secrets.</summary>
    public static Task<WebhookEndpoint?> FindEndpointAsync(NotificationDbContext db, ClaimsPrincipal user, Guid endpointId, CancellationToken ct)
    {
        var query = db.WebhookEndpoints.Include(e => e.Secrets).Where(e => e.Id == endpointId);
        if (!user.IsInRole(Roles.Operator))
        {
            var area = user.Area();
            query = query.Where(e => e.AreaCode == area);
        }
        return query.SingleOrDefaultAsync(ct);
    }

    public static ProblemHttpResult EndpointNotFound(Guid endpointId) =>
        Problems.NotFound("webhook_endpoint_not_found", $"没有编号为 {endpointId} 的接收地址（或它不属于您的考区）。", $"No webhook endpoint {endpointId} in your area.");

    public static ProblemHttpResult? CheckUrl(string? url, WebhookTargetPolicy targets) => WebhookUrls.Check(url, targets) switch
    {
        WebhookUrlRefusal.Invalid => Problems.Unprocessable("webhook_url_invalid",
            "接收地址须是完整的 https:// 地址（不含用户名密码和 # 片段，最长 2000 个字符）。",
            "The URL must be an absolute https:// URL without credentials or fragment, at most 2000 characters."),
        WebhookUrlRefusal.Insecure => Problems.Unprocessable("webhook_url_insecure",
            "接收地址必须使用 HTTPS；明文 http:// 只允许本机回环地址（localhost、127.0.0.1、::1），供开发和测试使用。",
            "The URL must use HTTPS; plain http:// is allowed only to loopback (localhost, 127.0.0.1, ::1), for development and tests."),
        WebhookUrlRefusal.Forbidden => Problems.Unprocessable("webhook_url_forbidden",
            "接收地址指向内网、本机或保留地址，平台不会向其发送事件；请使用公网地址，或请运维人员把省级专线网段加入允许列表。",
            "The URL points at a private, loopback or reserved address the platform will not call; use a public address, or ask the operators to allow the province's private network (Webhooks:Targets:AllowedNetworks)."),
        _ => null,
    };

    public static ProblemHttpResult? CheckEventTypes(IReadOnlyList<string>? eventTypes)
    {
        if (eventTypes is null || eventTypes.Count == 0)
        {
            return Problems.Invalid("eventTypes", "请至少订阅一种事件类型。", "Subscribe to at least one event type.");
        }
        var unknown = eventTypes.Where(t => !WebhookEventTypes.All.ContainsKey(t ?? "")).Select(t => t ?? "null").Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }
        // Quoted capped and only the first few: the list is the client's, and its detail must not grow with it.
        var named = unknown.Take(NamedUnknownTypes).Select(ProblemText.Echo).ToList();
        var (moreZh, moreEn) = unknown.Count > NamedUnknownTypes ? ($" 等 {unknown.Count} 个", $" and {unknown.Count - NamedUnknownTypes} more") : ("", "");
        return Problems.Unprocessable("webhook_event_type_unknown",
            $"未知的事件类型：{string.Join("、", named.Select(t => $"“{t}”"))}{moreZh}。可订阅的类型：{string.Join("、", WebhookEventTypes.All.Keys)}。",
            $"Unknown event types: {string.Join(", ", named.Select(t => $"'{t}'"))}{moreEn}. Known: {string.Join(", ", WebhookEventTypes.All.Keys)}.");
    }

    private const int NamedUnknownTypes = 5;
}
