using System.Security.Claims;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

public sealed record SmsTemplateView(string AreaCode, string Template, string ProviderTemplateCode, string Body, IReadOnlyList<string> Variables, string Preview, DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed record SmsTemplateRequest(string? ProviderTemplateCode, string? Body);

public sealed record SmsTemplateLoadItem(string? AreaCode, string? Template, string? ProviderTemplateCode, string? Body);

public sealed record SmsTemplateLoadRequest(IReadOnlyList<SmsTemplateLoadItem>? Templates);

public sealed record AreaSenderRequest(string? SenderName);

public sealed record AreaSenderView(string AreaCode, string SenderName);

/// <summary>
/// Operators load SMS templates per area (or <c>*</c> for every area) and event. A template is checked as it is
/// loaded — unknown event, unknown or missing variable, a 【sign】 in the body, length, provider code — and refused
/// with a problem naming each error, so sending never meets a broken template. A batch loads all or nothing.
/// </summary>
public static class SmsTemplatesApi
{
    private const string PreviewSender = "考区单位名称";

    public static void MapSmsTemplatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(NotificationsApi.Prefix).WithTags("SMS templates").RequireAuthorization(Policies.Operator);
        group.MapGet("/templates", List).WithName("listSmsTemplates").WithSummary("全部已载入的短信模板及可用的事件和变量").WithDescription("Every loaded template, with the events and variables each may use.");
        group.MapPut("/templates/{areaCode}/{template}", Put).WithName("putSmsTemplate").WithSummary("载入或替换某考区某事件的短信模板")
            .WithDescription("Loads or replaces one area's template for one event.").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "template_invalid");
        group.MapPut("/templates", Load).WithName("loadSmsTemplates").WithSummary("一次载入或替换多个短信模板（全部成功或全部不变）")
            .WithDescription("Loads or replaces several templates at once: all or nothing.").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "template_invalid");
        group.MapGet("/areas", ListAreas).WithName("listSmsSenders").WithSummary("各考区的短信签名（【签名】）").WithDescription("Each area's SMS sender name (the 【sign】).");
        group.MapPut("/areas/{areaCode}/sender", PutSender).WithName("putSmsSender").WithSummary("设置考区的短信签名").WithDescription("Sets an area's SMS sender name.");
    }

    private static async Task<Ok<List<SmsTemplateView>>> List(NotificationDbContext db, CancellationToken ct)
    {
        var templates = await db.SmsTemplates.AsNoTracking().OrderBy(t => t.AreaCode).ThenBy(t => t.Template).ToListAsync(ct);
        return TypedResults.Ok(templates.Select(ToView).ToList());
    }

    public sealed record PutTemplateCall(
        [FromRoute(Name = "areaCode")] string AreaCode,
        [FromRoute(Name = "template")] string Template,
        SmsTemplateRequest Request,
        ClaimsPrincipal User,
        NotificationDbContext Db,
        TimeProvider Clock);

    private static async Task<Results<Ok<SmsTemplateView>, ProblemHttpResult>> Put([AsParameters] PutTemplateCall call, CancellationToken ct)
    {
        var (areaCode, template, request, user, db, clock) = call;
        var errors = await CheckAsync(db, areaCode, template, request.ProviderTemplateCode, request.Body, ct);
        if (errors.Count > 0)
        {
            return Refuse(errors.ToDictionary(e => e.Field, e => e.Messages));
        }
        var saved = await UpsertAsync(db, new(areaCode, template, request.ProviderTemplateCode!, request.Body!), new(user.Actor(), clock.GetUtcNow()), ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(saved));
    }

    private static async Task<Results<Ok<List<SmsTemplateView>>, ProblemHttpResult>> Load(
        SmsTemplateLoadRequest request, ClaimsPrincipal user, NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (request.Templates is not { Count: > 0 } items)
        {
            return Problems.Invalid("templates", "至少需要一个模板。", "at least one template is required");
        }
        var errors = new Dictionary<string, TemplateProblem[]>(StringComparer.Ordinal);
        var keys = new HashSet<(string, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.AreaCode is null || item.Template is null)
            {
                errors[$"templates[{i}]"] = [new("areaCode 和 template 必填。", "areaCode and template are required")];
                continue;
            }
            if (!keys.Add((item.AreaCode, item.Template)))
            {
                errors[$"templates[{i}]"] = [new($"{item.AreaCode}/{item.Template} 出现了不止一次。", $"{item.AreaCode}/{item.Template} appears more than once")];
                continue;
            }
            foreach (var (field, messages) in await CheckAsync(db, item.AreaCode, item.Template, item.ProviderTemplateCode, item.Body, ct))
            {
                errors[$"templates[{i}].{field}"] = messages;
            }
        }
        if (errors.Count > 0)
        {
            return Refuse(errors);
        }
        var now = clock.GetUtcNow();
        var saved = new List<SmsTemplate>();
        foreach (var item in items)
        {
            saved.Add(await UpsertAsync(db, new(item.AreaCode!, item.Template!, item.ProviderTemplateCode!, item.Body!), new(user.Actor(), now), ct));
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(saved.Select(ToView).ToList());
    }

    private static async Task<Ok<List<AreaSenderView>>> ListAreas(NotificationDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.AreaSenders.AsNoTracking().OrderBy(a => a.AreaCode).Select(a => new AreaSenderView(a.AreaCode, a.SenderName)).ToListAsync(ct));

    private static async Task<Results<Ok<AreaSenderView>, ProblemHttpResult>> PutSender(string areaCode, AreaSenderRequest request, NotificationDbContext db, CancellationToken ct)
    {
        var name = request.SenderName?.Trim();
        var errors = new RequestErrors()
            .Require(areaCode.Length is >= 2 and <= 16 && areaCode.All(char.IsAsciiLetterOrDigit), "areaCode", "应为 2–16 个字母或数字。", "must be 2-16 letters or digits")
            .Require(name is { Length: >= 2 and <= 20 }, "senderName", "应为 2–20 个字。", "must be 2-20 characters")
            .Require(name is null || !(name.Contains('【', StringComparison.Ordinal) || name.Contains('】', StringComparison.Ordinal)), "senderName", "只填【】里面的文字，不含括号。", "is the text inside 【】, without the brackets");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var sender = await db.AreaSenders.SingleOrDefaultAsync(a => a.AreaCode == areaCode, ct);
        if (sender is null)
        {
            db.AreaSenders.Add(sender = new AreaSender { AreaCode = areaCode, SenderName = name! });
        }
        else
        {
            sender.SenderName = name!;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AreaSenderView(sender.AreaCode, sender.SenderName));
    }

    private static async Task<List<(string Field, TemplateProblem[] Messages)>> CheckAsync(
        NotificationDbContext db, string areaCode, string template, string? providerTemplateCode, string? body, CancellationToken ct)
    {
        var errors = new List<(string Field, TemplateProblem[] Messages)>();
        if (areaCode != SmsTemplate.AnyArea && !await db.AreaSenders.AnyAsync(a => a.AreaCode == areaCode, ct))
        {
            errors.Add(("areaCode", [new(
                $"考区“{areaCode}”还没有短信签名：请先设置（PUT {NotificationsApi.Prefix}/areas/{{areaCode}}/sender），或用“*”表示所有考区。",
                $"area '{areaCode}' has no SMS sender; set it first (PUT {NotificationsApi.Prefix}/areas/{{areaCode}}/sender) or use '*' for every area")]));
        }
        var problems = SmsTemplates.Validate(template, body, providerTemplateCode);
        if (problems.Count > 0)
        {
            errors.Add(("template", [.. problems]));
        }
        return errors;
    }

    private static ProblemHttpResult Refuse(IDictionary<string, TemplateProblem[]> errors) =>
        Problems.Unprocessable("template_invalid",
            "模板未载入：" + string.Join("；", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}：{m.Zh}"))),
            "The template was not loaded: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m.En}"))),
            new Dictionary<string, object?> { ["errors"] = errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Zh).ToArray()) });

    /// <summary>A checked template: where it applies and what it says.</summary>
    private sealed record TemplateText(string AreaCode, string Template, string ProviderTemplateCode, string Body);

    private sealed record Edit(string Actor, DateTimeOffset At);

    private static async Task<SmsTemplate> UpsertAsync(NotificationDbContext db, TemplateText text, Edit edit, CancellationToken ct)
    {
        var existing = await db.SmsTemplates.SingleOrDefaultAsync(t => t.AreaCode == text.AreaCode && t.Template == text.Template, ct);
        if (existing is null)
        {
            existing = new SmsTemplate { AreaCode = text.AreaCode, Template = text.Template, ProviderTemplateCode = text.ProviderTemplateCode, Body = text.Body };
            db.SmsTemplates.Add(existing);
        }
        existing.ProviderTemplateCode = text.ProviderTemplateCode;
        existing.Body = text.Body;
        existing.UpdatedAt = edit.At;
        existing.UpdatedBy = edit.Actor;
        return existing;
    }

    private static SmsTemplateView ToView(SmsTemplate t)
    {
        var kind = SmsTemplates.Find(t.Template);
        var sample = (kind?.Variables ?? []).ToDictionary(v => v, v => v == SmsTemplates.DeadlineVariable ? "2027-03-01 18:00" : v);
        return new SmsTemplateView(t.AreaCode, t.Template, t.ProviderTemplateCode, t.Body, kind?.Variables ?? [],
            SmsTemplates.Compose(PreviewSender, SmsTemplates.Fill(t.Body, sample)), t.UpdatedAt, t.UpdatedBy);
    }
}
