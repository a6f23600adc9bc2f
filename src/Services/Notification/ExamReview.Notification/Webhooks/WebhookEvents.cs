using System.Text.Json;

namespace ExamReview.Notification.Webhooks;

/// <summary>The event types a province can subscribe to, with what each means.</summary>
public static class WebhookEventTypes
{
    /// <summary>Any change of the candidate-visible status (填报, 考点通过, 审核通过, 审核拒绝, 退回修改).</summary>
    public const string StatusChanged = "application.status_changed";
    public const string Returned = "application.returned";
    public const string Approved = "application.approved";
    public const string Rejected = "application.rejected";
    public const string RegistrationCorrected = "registration.corrected";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [StatusChanged] = "考生可见的审核状态变化（填报、考点通过、审核通过、审核拒绝、退回修改）",
        [Returned] = "材料被退回修改（含审核意见与处理期限）",
        [Approved] = "考区审核通过",
        [Rejected] = "审核拒绝（含理由）",
        [RegistrationCorrected] = "报名信息被更正（只含字段名，不含字段值）",
    };
}

/// <summary>The candidate-visible status codes, as Registration shows them (填报 … 退回修改).</summary>
public static class WebhookStatuses
{
    public const string Filling = "Filling";
    public const string SiteApproved = "SiteApproved";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";
    public const string Returned = "Returned";

    public static string Label(string status) => status switch
    {
        Filling => "填报",
        SiteApproved => "考点通过",
        Approved => "审核通过",
        Rejected => "审核拒绝",
        Returned => "退回修改",
        _ => status,
    };
}

/// <summary>
/// One event as Notification learned it from a platform message: its type, the area and candidate it concerns, when it
/// happened and the data a province may see (ids, codes and the reviewers' own words; no names, ID or phone numbers).
/// </summary>
public sealed record WebhookEvent(string Type, string AreaCode, Guid CandidateId, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, object?> Data);

/// <summary>The body every delivery carries (Standard Webhooks' <c>type</c>, <c>timestamp</c>, <c>data</c>).</summary>
public static class WebhookPayloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where the review stood (<c>{"submissionNumber":n,"caseVersion":v}</c>) on every <c>application.*</c> event.</summary>
    public const string ReviewPositionField = "reviewPosition";

    /// <param name="sequence">The event's number among this endpoint's events for the candidate (1, 2, …): gaps show a receiver what it missed.</param>
    public static string Serialize(WebhookEvent @event, Guid deliveryId, long sequence)
    {
        var data = new Dictionary<string, object?>(@event.Data, StringComparer.Ordinal)
        {
            ["eventId"] = "msg_" + deliveryId.ToString("N"),
            ["candidateId"] = @event.CandidateId,
            ["areaCode"] = @event.AreaCode,
            ["sequence"] = sequence,
        };
        return JsonSerializer.Serialize(new { type = @event.Type, timestamp = @event.OccurredAt, data }, Json);
    }
}
