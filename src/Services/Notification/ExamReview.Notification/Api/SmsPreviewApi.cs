using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

/// <summary>The SMS text exactly as it would go out for an event in an area (sign, template, variables), and which template it came from.</summary>
public sealed record SmsPreview(string Template, string AreaCode, string Text, string ProviderTemplateCode, bool AreaTemplate);

/// <summary>
/// A reviewer reads the SMS a return will send before sending it. The text holds no personal data (the template, the
/// area's 【sign】 and the deadline), so any reviewer may preview any area; the lookup is the one sending uses.
/// </summary>
public static class SmsPreviewApi
{
    public static void MapSmsPreviewApi(this IEndpointRouteBuilder app) =>
        app.MapGet(NotificationsApi.Prefix + "/sms/preview", Preview).WithTags("Notifications").RequireAuthorization(Policies.Reviewer)
            .WithName("previewSms").WithSummary("预览某考区某事件将发出的短信正文（审核员退回前查看，不含手机号）")
            .WithDescription("The SMS text an event would send in an area (its 【sign】, its template, the deadline filled in), for reviewers before they return an application.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "sms_not_configured", "unknown_area");

    private static async Task<Results<Ok<SmsPreview>, ProblemHttpResult>> Preview(
        string? template, string? areaCode, DateTimeOffset? deadline, NotificationDbContext db, CancellationToken ct)
    {
        var kind = SmsTemplates.Find(template ?? "");
        var errors = new RequestErrors()
            .Require(kind is not null, "template", $"应为以下之一：{string.Join("、", SmsTemplates.Kinds.Select(k => k.Name))}。",
                $"must be one of: {string.Join(", ", SmsTemplates.Kinds.Select(k => k.Name))}")
            .Require(!string.IsNullOrWhiteSpace(areaCode) && areaCode.Length <= 16, "areaCode", "考区必填。", "is required")
            .Require(deadline is not null || kind?.RequiredVariables.Contains(SmsTemplates.DeadlineVariable) != true, "deadline",
                "此短信需要修改期限。", "is required by this template")
            .RequireTimeInRange(deadline, "deadline");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (await AreaChecks.RefuseAreaAsync(db, areaCode!, StatusCodes.Status404NotFound, ct) is { } unknown)
        {
            return unknown;
        }
        var found = await SmsTemplateLookup.FindAsync(db, kind!.Name, areaCode!, ct);
        if (found is null)
        {
            return Problems.Localised(StatusCodes.Status404NotFound, "sms_not_configured", $"考区 {areaCode} 未配置短信签名或“{kind.Description}”短信模板。",
                $"Area {areaCode} has no SMS sender name or no '{kind.Name}' template.");
        }
        var (sender, body) = found.Value;
        var variables = deadline is { } due
            ? new Dictionary<string, string> { [SmsTemplates.DeadlineVariable] = ChinaTime.ToMinute(due) }
            : new Dictionary<string, string>();
        return TypedResults.Ok(new SmsPreview(kind.Name, areaCode!, SmsTemplates.Compose(sender.SenderName, SmsTemplates.Fill(body.Body, variables)),
            body.ProviderTemplateCode, body.AreaCode == areaCode));
    }
}
