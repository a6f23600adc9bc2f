using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.Notification.Domain;

/// <summary>An operator's template as asked for: any part may be missing or wrong until <see cref="SmsTemplate.Check"/> says otherwise.</summary>
public sealed record SmsTemplateDraft(string? AreaCode, string? Template, string? ProviderTemplateCode, string? Body);

/// <summary>
/// An SMS template of one area (or of every area: <see cref="AnyArea"/>) for one event. The body is the text after
/// the 【sign】, with <c>${name}</c> variables as the provider's templates have; it was checked when it was loaded.
/// A load is refused with every error under the name of its field (empty: accepted), so sending never meets a broken
/// template; the caller loads which areas have a sender and commits what <see cref="Load"/> changed.
/// </summary>
public sealed class SmsTemplate
{
    public const string AnyArea = "*";

    public required string AreaCode { get; set; }
    public required string Template { get; set; }

    /// <summary>The provider's code for the same text (Alibaba's TemplateCode, e.g. SMS_123456789).</summary>
    public required string ProviderTemplateCode { get; set; }

    public required string Body { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    /// <summary>
    /// One template: an area's own needs the area's sender name first (an SMS without its 【sign】 cannot be sent), then
    /// the text's own checks (<see cref="SmsTemplates.Validate"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, TemplateProblem[]> Check(string areaCode, string template, string? providerTemplateCode, string? body,
        IReadOnlySet<string> areasWithSender)
    {
        var errors = new Dictionary<string, TemplateProblem[]>(StringComparer.Ordinal);
        if (areaCode != AnyArea && !areasWithSender.Contains(areaCode))
        {
            var area = ProblemText.Echo(areaCode);
            errors["areaCode"] = [new(
                $"考区“{area}”还没有短信签名：请先设置（PUT /api/v1/notifications/areas/{{areaCode}}/sender），或用“*”表示所有考区。",
                $"area '{area}' has no SMS sender; set it first (PUT /api/v1/notifications/areas/{{areaCode}}/sender) or use '*' for every area")];
        }
        var problems = SmsTemplates.Validate(template, body, providerTemplateCode);
        if (problems.Count > 0)
        {
            errors["template"] = [.. problems];
        }
        return errors;
    }

    /// <summary>
    /// A batch loads all or nothing: each item needs its area and event, names them once in the batch, and passes
    /// <see cref="Check(string, string, string?, string?, IReadOnlySet{string})"/>; errors are named templates[i] or templates[i].field.
    /// </summary>
    public static IReadOnlyDictionary<string, TemplateProblem[]> Check(IReadOnlyList<SmsTemplateDraft> drafts, IReadOnlySet<string> areasWithSender)
    {
        var errors = new Dictionary<string, TemplateProblem[]>(StringComparer.Ordinal);
        var keys = new HashSet<(string, string)>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            if (draft.AreaCode is null || draft.Template is null)
            {
                errors[$"templates[{i}]"] = [new("areaCode 和 template 必填。", "areaCode and template are required")];
                continue;
            }
            if (!keys.Add((draft.AreaCode, draft.Template)))
            {
                errors[$"templates[{i}]"] = [new($"{draft.AreaCode}/{draft.Template} 出现了不止一次。", $"{draft.AreaCode}/{draft.Template} appears more than once")];
                continue;
            }
            foreach (var (field, problems) in Check(draft.AreaCode, draft.Template, draft.ProviderTemplateCode, draft.Body, areasWithSender))
            {
                errors[$"templates[{i}].{field}"] = problems;
            }
        }
        return errors;
    }

    /// <summary>A template not loaded before: the draft passed <see cref="Check(string, string, string?, string?, IReadOnlySet{string})"/>.</summary>
    public static SmsTemplate New(SmsTemplateDraft draft) => new()
    {
        AreaCode = Required(draft.AreaCode),
        Template = Required(draft.Template),
        ProviderTemplateCode = Required(draft.ProviderTemplateCode),
        Body = Required(draft.Body),
    };

    /// <summary>Replaces what the template says with a checked draft's, and records who did it when.</summary>
    public void Load(SmsTemplateDraft draft, string actor, DateTimeOffset now)
    {
        ProviderTemplateCode = Required(draft.ProviderTemplateCode);
        Body = Required(draft.Body);
        UpdatedAt = now;
        UpdatedBy = actor;
    }

    private static string Required(string? checkedValue) =>
        checkedValue ?? throw new InvalidOperationException("A template is loaded only after its draft passed SmsTemplate.Check.");
}
