using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

/// <summary>
/// An SMS and its delivery record. <c>status</c> is our side (Queued, Sent, Failed); <c>delivery</c> is the carrier's
/// report once sent (Pending, Delivered, Undelivered, Unknown).
/// </summary>
public sealed record SmsView(
    Guid Id,
    Guid CandidateId,
    Guid SourceMessageId,
    string Template,
    string MobileNumber,
    string Text,
    string Status,
    int Attempts,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    string OutId,
    string? SignName,
    string? TemplateCode,
    string Delivery,
    DateTimeOffset? DeliveredAt,
    string? DeliveryError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FailedAt,
    string? ProviderMessageId);

public sealed record SmsOpsStatus(int Queued, int Sent, int Failed, int Undelivered, int AwaitingReport, bool CircuitOpen, DateTimeOffset? OldestQueuedAt);

public static class NotificationsApi
{
    public const string Prefix = "/api/v1/notifications";
    private const int MaxListed = 200;

    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Notifications").RequireAuthorization(Policies.Operator);
        group.MapGet("/sms", ListSms).WithName("listSms").WithSummary("短信发送记录（可按考生筛选）").WithDescription("SMS deliveries, optionally for one candidate.");
        group.MapGet("/sms/failed", ListFailed).WithName("listFailedSms").WithSummary("需要运营人员处理的短信（重试后失败、被拒或未送达）")
            .WithDescription("SMS that need an operator: failed after their retries, refused, or not delivered by the carrier.");
        group.MapGet("/sms/{smsId:guid}", GetSms).WithName("getSms").WithSummary("一条短信及其送达记录").WithDescription("One SMS and its delivery record.").ProducesProblemCodes(StatusCodes.Status404NotFound, "sms_not_found");
        group.MapPost("/sms/{smsId:guid}/retry", Retry).WithName("retrySms").WithSummary("重新发送失败或未送达的短信").WithDescription("Queues a failed or undelivered SMS again.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "sms_not_found").ProducesProblemCodes(StatusCodes.Status409Conflict, "sms_not_failed", "sms_expired");
        group.MapGet("/ops/sms", OpsStatus).WithTags("Operations").WithName("getSmsOpsStatus").WithSummary("短信积压、失败数和服务商熔断状态").WithDescription("SMS backlog, failures and the provider circuit.");
    }

    private static async Task<Ok<List<SmsView>>> ListSms(Guid? candidateId, NotificationDbContext db, CancellationToken ct)
    {
        var query = db.SmsMessages.AsNoTracking();
        if (candidateId is { } id)
        {
            query = query.Where(m => m.CandidateId == id);
        }
        var items = await query.OrderByDescending(m => m.CreatedAt).Take(MaxListed).ToListAsync(ct);
        return TypedResults.Ok(items.Select(ToView).ToList());
    }

    private static async Task<Ok<List<SmsView>>> ListFailed(NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // An expired one-time code needs nobody: the candidate asks for a new one (and it cannot be retried).
        var items = await db.SmsMessages.AsNoTracking()
            .Where(m => m.Status == SmsStatus.Failed || m.Delivery == SmsDeliveryState.Undelivered)
            .Where(m => m.ExpiresAt == null || m.ExpiresAt > now)
            .OrderByDescending(m => m.CreatedAt)
            .Take(MaxListed)
            .ToListAsync(ct);
        return TypedResults.Ok(items.Select(ToView).ToList());
    }

    private static async Task<Results<Ok<SmsView>, ProblemHttpResult>> GetSms(Guid smsId, NotificationDbContext db, CancellationToken ct)
    {
        var sms = await db.SmsMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == smsId, ct);
        return sms is null ? Problems.NotFound("sms_not_found", $"没有编号为 {smsId} 的短信。", $"No SMS {smsId}.") : TypedResults.Ok(ToView(sms));
    }

    /// <summary>What may be retried and what a retry resets are the SMS's own rules (<see cref="SmsMessage.Retry"/>).</summary>
    private static async Task<Results<Accepted<SmsView>, ProblemHttpResult>> Retry(
        Guid smsId, NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, CancellationToken ct)
    {
        var sms = await db.SmsMessages.SingleOrDefaultAsync(m => m.Id == smsId, ct);
        if (sms is null)
        {
            return Problems.NotFound("sms_not_found", $"没有编号为 {smsId} 的短信。", $"No SMS {smsId}.");
        }
        switch (sms.Retry(clock.GetUtcNow()))
        {
            case SmsRetryRefusal.NotFailed:
                return Problems.Conflict("sms_not_failed",
                    $"短信 {smsId} 的状态为 {sms.Status}（送达状态 {sms.Delivery}），只有发送失败或未送达的短信才能重发。",
                    $"SMS {smsId} is {sms.Status} (delivery {sms.Delivery}); only failed or undelivered SMS can be retried.");
            case SmsRetryRefusal.Expired:
                return Problems.Conflict("sms_expired", $"短信 {smsId} 是已过期的一次性验证码，重发没有意义：请考生重新获取验证码。",
                    $"SMS {smsId} is a one-time code past its lifetime; sending it again would only mislead. The candidate asks for a new code.");
        }
        await db.CommitAsync(ct);
        dispatch.Notify();
        return TypedResults.Accepted($"{Prefix}/sms/{sms.Id}", ToView(sms));
    }

    private static async Task<Ok<SmsOpsStatus>> OpsStatus(NotificationDbContext db, SmsGateway gateway, CancellationToken ct)
    {
        var counts = await db.SmsMessages.AsNoTracking()
            .GroupBy(m => new { m.Status, m.Delivery })
            .Select(g => new { g.Key.Status, g.Key.Delivery, Count = g.Count() })
            .ToListAsync(ct);
        var oldestQueued = await db.SmsMessages.AsNoTracking().Where(m => m.Status == SmsStatus.Queued)
            .OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new SmsOpsStatus(
            counts.Where(c => c.Status == SmsStatus.Queued).Sum(c => c.Count),
            counts.Where(c => c.Status == SmsStatus.Sent).Sum(c => c.Count),
            counts.Where(c => c.Status == SmsStatus.Failed).Sum(c => c.Count),
            counts.Where(c => c.Delivery == SmsDeliveryState.Undelivered).Sum(c => c.Count),
            counts.Where(c => c.Delivery == SmsDeliveryState.Pending).Sum(c => c.Count),
            gateway.CircuitOpen,
            oldestQueued));
    }

    private static SmsView ToView(SmsMessage m) => new(
        m.Id, m.CandidateId, m.SourceMessageId, m.Template, m.MobileNumber, m.Text, m.Status.ToString(), m.Attempts, m.Error, m.CreatedAt, m.SentAt,
        m.EffectiveOutId, m.SignName, m.TemplateCode, m.Delivery.ToString(), m.DeliveredAt, m.DeliveryError, m.NextAttemptAt, m.FailedAt, m.ProviderMessageId);
}
