using ExamReview.Notification.Webhooks;

namespace ExamReview.Notification.Api;

/// <summary>A receiver to register: an HTTPS URL (plain HTTP only to loopback) and the event types it wants.</summary>
public sealed record CreateWebhookEndpointRequest(string Url, IReadOnlyList<string> EventTypes, string? Description);

/// <summary>What to change; absent fields stay. <c>enabled: false</c> pauses the endpoint: events are still recorded and go out, in order, once it is enabled again.</summary>
public sealed record UpdateWebhookEndpointRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled);

/// <summary>How long the secrets signing now keep signing beside the new one (minutes, default 1440 = 24 h, at most 7 days).</summary>
public sealed record RotateWebhookSecretRequest(int? OverlapMinutes);

/// <summary>Replays the endpoint's Failed deliveries recorded at or after <c>since</c> (required: a missing one must not mean "all").</summary>
public sealed record ReplayWebhookDeliveriesRequest(DateTimeOffset? Since);

public sealed record WebhookSecretView(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record WebhookEndpointView(
    Guid Id,
    string AreaCode,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<WebhookSecretView> Secrets);

/// <summary>The new endpoint and its signing secret — shown this once; store it where the receiver can read it.</summary>
public sealed record WebhookEndpointCreated(WebhookEndpointView Endpoint, string Secret);

/// <summary>The new secret (shown this once) and when the previous ones stop signing.</summary>
public sealed record WebhookSecretIssued(Guid SecretId, string Secret, DateTimeOffset PreviousSecretsExpireAt);

public sealed record WebhookEventTypeView(string Type, string Description);

public sealed record WebhookDeliveryView(
    Guid Id,
    string WebhookId,
    Guid EndpointId,
    string EventType,
    Guid CandidateId,
    long Sequence,
    string Status,
    int Attempts,
    int Replays,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt);

public sealed record WebhookAttemptView(int Number, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error);

/// <summary>A delivery with the exact body it sends and every attempt.</summary>
public sealed record WebhookDeliveryDetail(WebhookDeliveryView Delivery, string Payload, IReadOnlyList<WebhookAttemptView> AttemptLog);

public sealed record WebhookReplayResult(int Replayed);

internal static class WebhookViews
{
    public static WebhookEndpointView ToView(WebhookEndpoint e, DateTimeOffset now) => new(
        e.Id, e.AreaCode, e.Url, e.Description, e.EventTypeList, e.Enabled, e.CreatedAt, e.UpdatedAt,
        e.SigningSecrets(now).Select(s => new WebhookSecretView(s.Id, s.CreatedAt, s.ExpiresAt)).ToList());

    public static WebhookDeliveryView ToView(WebhookDelivery d) => new(
        d.Id, d.WebhookId, d.EndpointId, d.EventType, d.CandidateId, d.Sequence, d.Status.ToString(), d.Attempts, d.Replays, d.CreatedAt,
        d.LastAttemptAt, d.LastStatusCode, d.LastError, d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.FailedAt);

    public static WebhookDeliveryDetail ToDetail(WebhookDelivery d) => new(
        ToView(d), d.Payload, d.AttemptLog.OrderBy(a => a.Number).Select(a => new WebhookAttemptView(a.Number, a.StartedAt, a.DurationMs, a.StatusCode, a.Error)).ToList());
}
