using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.Notification.Domain;

/// <summary>One kind of SMS: its name, the variables its text may use (and must use), and the built-in default text.</summary>
public sealed record SmsTemplateKind(string Name, string Description, IReadOnlyList<string> Variables, IReadOnlyList<string> RequiredVariables, string DefaultCode, string DefaultBody);

/// <summary>The SMS the platform sends, their built-in texts, and the checks a template passes before it is loaded.</summary>
public static partial class SmsTemplates
{
    public const string Returned = "review-returned";
    public const string Approved = "review-approved";
    public const string Rejected = "review-rejected";
    public const string DeadlineReminder = "review-deadline-reminder";
    public const string OneTimeCode = "account-one-time-code";
    public const string MobileChanged = "account-mobile-changed";

    /// <summary>Variables of the one-time-code SMS: the code and its lifetime in minutes.</summary>
    public const string CodeVariable = "code";
    public const string MinutesVariable = "minutes";

    /// <summary>
    /// Variables of the warning to a previous number: the new number's last four digits (never the whole number: no
    /// variable carries it, so no template can show it) and when it changed, Beijing time (yyyy-MM-dd HH:mm).
    /// </summary>
    public const string MobileTailVariable = "mobileTail";
    public const string ChangedAtVariable = "changedAt";

    /// <summary>Variable holding the response deadline, Beijing time (yyyy-MM-dd HH:mm).</summary>
    public const string DeadlineVariable = "deadline";

    public const int MaxBodyLength = 300;

    public static readonly IReadOnlyList<SmsTemplateKind> Kinds =
    [
        // The seeds' return notice, word for word.
        new(Returned, "材料退回（审核意见）", [DeadlineVariable], [], "SMS_EXR0001",
            "您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。"),
        new(Approved, "审核通过", [], [], "SMS_EXR0002", "您的医师资格考试报名材料已审核通过，请登陆报名网站查看。"),
        new(Rejected, "审核拒绝", [], [], "SMS_EXR0003", "您的医师资格考试报名材料审核未通过，请登陆报名网站查看审核意见。"),
        new(DeadlineReminder, "修改期限将至提醒", [DeadlineVariable], [DeadlineVariable], "SMS_EXR0004",
            "您的医师资格考试报名材料尚有审核意见未处理，请于 ${deadline} 前登陆报名网站，访问报名材料上传页面，按要求修改后提交。"),
        new(OneTimeCode, "考生账户验证码（登录、重置密码）", [CodeVariable, MinutesVariable], [CodeVariable], "SMS_EXR0005",
            "您的验证码为 ${code}，${minutes} 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。"),
        new(MobileChanged, "手机号变更提醒（发往原手机号）", [MobileTailVariable, ChangedAtVariable], [MobileTailVariable], "SMS_EXR0006",
            "您在医师资格考试网上报名系统登记的手机号已于 ${changedAt} 变更为尾号 ${mobileTail} 的号码。如非本人操作，请立即联系您报考的考点。"),
    ];

    public static SmsTemplateKind? Find(string name) => Kinds.FirstOrDefault(k => k.Name == name);

    /// <summary>The built-in text of a template with the area's sender name, no variables filled.</summary>
    public static string Render(string template, string senderName) =>
        Render(template, senderName, new Dictionary<string, string>());

    public static string Render(string template, string senderName, IReadOnlyDictionary<string, string> variables)
    {
        var kind = Find(template) ?? throw new ArgumentOutOfRangeException(nameof(template), template, "Unknown SMS template");
        return Compose(senderName, Fill(kind.DefaultBody, variables));
    }

    /// <summary>The text as the candidate reads it: the sign in 【】 (the provider prepends it), then the body.</summary>
    public static string Compose(string senderName, string body) => $"【{senderName}】{body}";

    /// <summary>Replaces each <c>${name}</c>; a variable without a value is left empty (loading made sure none is unknown).</summary>
    public static string Fill(string body, IReadOnlyDictionary<string, string> variables) =>
        VariablePattern().Replace(body, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : "");

    public static IReadOnlyList<string> VariablesIn(string body) =>
        [.. VariablePattern().Matches(body).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Everything that could go wrong when the template is used, found now: unknown kind, a variable the kind does
    /// not provide or a required one missing, a broken <c>${</c>, a 【sign】 in the body, length, the provider code.
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Validate(string template, string? body, string? providerTemplateCode)
    {
        var errors = new List<TemplateProblem>();
        var kind = Find(template);
        if (kind is null)
        {
            errors.Add(new($"没有名为“{ProblemText.Echo(template)}”的短信模板；可用：{string.Join("、", Kinds.Select(k => k.Name))}。",
                $"unknown template '{ProblemText.Echo(template)}'; known: {string.Join(", ", Kinds.Select(k => k.Name))}"));
            return errors;
        }
        if (string.IsNullOrWhiteSpace(providerTemplateCode) || !ProviderCodePattern().IsMatch(providerTemplateCode))
        {
            errors.Add(new("providerTemplateCode 应为短信服务商的模板编号：1–64 个字母、数字或下划线（例如 SMS_123456789）。",
                "providerTemplateCode must be the provider's template code: 1-64 letters, digits or '_' (e.g. SMS_123456789)"));
        }
        if (string.IsNullOrWhiteSpace(body))
        {
            errors.Add(new("短信正文为空。", "body is empty"));
            return errors;
        }
        if (body.Length > MaxBodyLength)
        {
            errors.Add(new(string.Create(CultureInfo.InvariantCulture, $"短信正文有 {body.Length} 个字，最多 {MaxBodyLength} 个。"),
                string.Create(CultureInfo.InvariantCulture, $"body is {body.Length} characters; at most {MaxBodyLength}")));
        }
        if (body.Contains('【', StringComparison.Ordinal) || body.Contains('】', StringComparison.Ordinal))
        {
            errors.Add(new("短信正文不能包含【】：考区的短信签名会自动加上。", "body must not contain 【】: the area's sender name is added as the SMS signature"));
        }
        if (body.Any(char.IsControl))
        {
            errors.Add(new("短信正文不能包含换行、制表符等控制字符。", "body contains control characters (line breaks, tabs)"));
        }

        var withoutVariables = VariablePattern().Replace(body, "");
        if (withoutVariables.Contains("${", StringComparison.Ordinal) || withoutVariables.Contains('$', StringComparison.Ordinal))
        {
            errors.Add(new("短信正文中的“$”不是变量的开头：变量写作 ${name}，名称只用字母。",
                "body has a '$' that does not start a variable: write variables as ${name} with letters only"));
        }
        foreach (var variable in VariablesIn(body).Where(v => !kind.Variables.Contains(v, StringComparer.Ordinal)))
        {
            errors.Add(kind.Variables.Count == 0
                ? new($"模板 {kind.Name} 没有变量，不能使用 ${{{variable}}}。", $"variable ${{{variable}}} is not available: {kind.Name} has no variables")
                : new($"模板 {kind.Name} 不能使用变量 ${{{variable}}}；可用：{string.Join("、", kind.Variables.Select(v => "${" + v + "}"))}。",
                    $"variable ${{{variable}}} is not available for {kind.Name}; available: {string.Join(", ", kind.Variables.Select(v => "${" + v + "}"))}"));
        }
        foreach (var required in kind.RequiredVariables.Where(r => !VariablesIn(body).Contains(r, StringComparer.Ordinal)))
        {
            errors.Add(new($"模板 {kind.Name} 必须包含变量 ${{{required}}}。", $"{kind.Name} must show ${{{required}}}"));
        }
        return errors;
    }

    /// <summary>The TemplateParam JSON the provider expects: only the variables this body uses.</summary>
    public static string? ParamsJson(string body, IReadOnlyDictionary<string, string> variables)
    {
        var used = VariablesIn(body);
        if (used.Count == 0)
        {
            return null;
        }
        var json = new StringBuilder("{");
        foreach (var name in used)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }
            json.Append(System.Text.Json.JsonSerializer.Serialize(name)).Append(':')
                .Append(System.Text.Json.JsonSerializer.Serialize(variables.GetValueOrDefault(name) ?? ""));
        }
        return json.Append('}').ToString();
    }

    [GeneratedRegex(@"\$\{([A-Za-z]+)\}")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,64}\z")]
    private static partial Regex ProviderCodePattern();
}

/// <summary>One thing wrong with a template, in Chinese (first) and English.</summary>
public sealed record TemplateProblem(string Zh, string En);
