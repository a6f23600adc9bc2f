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
/// Operators load SMS templates per area (or <c>*</c> for every area) and event, and set each area's sender name, for
/// areas Registration announced (<see cref="KnownArea"/>; another is <c>unknown_area</c>). What a load may say and what it
/// changes are <see cref="SmsTemplate"/>'s rules; a refusal is a problem naming each error. A batch loads all or nothing.
/// </summary>
public static class SmsTemplatesApi
{
    private const string PreviewSender = "考区单位名称";

    public static void MapSmsTemplatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(NotificationsApi.Prefix).WithTags("SMS templates").RequireAuthorization(Policies.Operator);
        group.MapGet("/templates", List).WithName("listSmsTemplates").WithSummary("全部已载入的短信模板及可用的事件和变量").WithDescription("Every loaded template, with the events and variables each may use.");
        group.MapPut("/templates/{areaCode}/{template}", Put).WithName("putSmsTemplate").WithSummary("载入或替换某考区某事件的短信模板")
            .WithDescription("Loads or replaces one area's template for one event (\"*\" = every area).").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "template_invalid")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area");
        group.MapPut("/templates", Load).WithName("loadSmsTemplates").WithSummary("一次载入或替换多个短信模板（全部成功或全部不变）")
            .WithDescription("Loads or replaces several templates at once: all or nothing.").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "template_invalid", "unknown_area");
        group.MapGet("/areas", ListAreas).WithName("listSmsSenders").WithSummary("各考区的短信签名（【签名】）").WithDescription("Each area's SMS sender name (the 【sign】).");
        group.MapPut("/areas/{areaCode}/sender", PutSender).WithName("putSmsSender").WithSummary("设置考区的短信签名").WithDescription("Sets an area's SMS sender name.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area");
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
        if (areaCode != SmsTemplate.AnyArea && await AreaChecks.RefuseAreaAsync(db, areaCode, StatusCodes.Status404NotFound, ct) is { } unknown)
        {
            return unknown;
        }
        var errors = SmsTemplate.Check(areaCode, template, request.ProviderTemplateCode, request.Body, await AreasWithSenderAsync(db, [areaCode], ct));
        if (errors.Count > 0)
        {
            return Refuse(errors);
        }
        var saved = await LoadAsync(db, new SmsTemplateDraft(areaCode, template, request.ProviderTemplateCode, request.Body), user.Actor(), clock.GetUtcNow(), ct);
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
        if (Enumerable.Range(0, items.Count).FirstOrDefault(i => items[i] is null, -1) is var missing and >= 0)
        {
            // A JSON null in the list: named, not a NullReferenceException (500) further down.
            return Problems.Invalid($"templates[{missing}]", "不能为空，应为一个模板。", "must be a template, not null");
        }
        var drafts = items.Select(i => new SmsTemplateDraft(i.AreaCode, i.Template, i.ProviderTemplateCode, i.Body)).ToList();
        if (await AreaChecks.RefuseUnknownAreasAsync(db, drafts, ct) is { } unknown)
        {
            return unknown;
        }
        var areas = await AreasWithSenderAsync(db, drafts.Select(d => d.AreaCode).OfType<string>(), ct);
        var errors = SmsTemplate.Check(drafts, areas);
        if (errors.Count > 0)
        {
            return Refuse(errors);
        }
        var now = clock.GetUtcNow();
        var saved = new List<SmsTemplate>();
        foreach (var draft in drafts)
        {
            saved.Add(await LoadAsync(db, draft, user.Actor(), now, ct));
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(saved.Select(ToView).ToList());
    }

    private static async Task<Ok<List<AreaSenderView>>> ListAreas(NotificationDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.AreaSenders.AsNoTracking().OrderBy(a => a.AreaCode).Select(a => new AreaSenderView(a.AreaCode, a.SenderName)).ToListAsync(ct));

    private static async Task<Results<Ok<AreaSenderView>, ProblemHttpResult>> PutSender(string areaCode, AreaSenderRequest request, NotificationDbContext db, CancellationToken ct)
    {
        var errors = AreaSender.Check(areaCode, request.SenderName);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.Select(p => new FieldError(p.Zh, p.En)).ToArray()));
        }
        if (await AreaChecks.RefuseAreaAsync(db, areaCode, StatusCodes.Status404NotFound, ct) is { } unknown)
        {
            return unknown;
        }
        var sender = await db.AreaSenders.SingleOrDefaultAsync(a => a.AreaCode == areaCode, ct);
        if (sender is null)
        {
            db.AreaSenders.Add(sender = AreaSender.New(areaCode, request.SenderName!));
        }
        else
        {
            sender.Rename(request.SenderName!);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AreaSenderView(sender.AreaCode, sender.SenderName));
    }

    /// <summary>Which of these areas have a sender name (a template of an area's own needs one).</summary>
    private static async Task<IReadOnlySet<string>> AreasWithSenderAsync(NotificationDbContext db, IEnumerable<string> areaCodes, CancellationToken ct)
    {
        var codes = areaCodes.Distinct(StringComparer.Ordinal).ToList();
        return (await db.AreaSenders.AsNoTracking().Where(a => codes.Contains(a.AreaCode)).Select(a => a.AreaCode).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    private static ProblemHttpResult Refuse(IReadOnlyDictionary<string, TemplateProblem[]> errors) =>
        Problems.Unprocessable("template_invalid",
            "模板未载入：" + string.Join("；", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}：{m.Zh}"))),
            "The template was not loaded: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m.En}"))),
            new Dictionary<string, object?> { ["errors"] = errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Zh).ToArray()) });

    private static async Task<SmsTemplate> LoadAsync(NotificationDbContext db, SmsTemplateDraft draft, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await db.SmsTemplates.SingleOrDefaultAsync(t => t.AreaCode == draft.AreaCode && t.Template == draft.Template, ct);
        if (existing is null)
        {
            db.SmsTemplates.Add(existing = SmsTemplate.New(draft));
        }
        existing.Load(draft, actor, now);
        return existing;
    }

    private static SmsTemplateView ToView(SmsTemplate t)
    {
        var kind = SmsTemplates.Find(t.Template);
        var sample = (kind?.Variables ?? []).ToDictionary(v => v, SampleValue);
        return new SmsTemplateView(t.AreaCode, t.Template, t.ProviderTemplateCode, t.Body, kind?.Variables ?? [],
            SmsTemplates.Compose(PreviewSender, SmsTemplates.Fill(t.Body, sample)), t.UpdatedAt, t.UpdatedBy);
    }

    /// <summary>What the operator's preview shows for a variable: a value of its shape where it has one, its name otherwise.</summary>
    private static string SampleValue(string variable) => variable switch
    {
        SmsTemplates.DeadlineVariable or SmsTemplates.ChangedAtVariable => "2027-03-01 18:00",
        SmsTemplates.MobileTailVariable => "5678",
        _ => variable,
    };
}
