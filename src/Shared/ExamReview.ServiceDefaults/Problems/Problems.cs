using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>Builds the platform's problem responses: a stable machine-readable <c>code</c> and a type URI derived from it.</summary>
public static class Problems
{
    public const string TypePrefix = "https://examreview.nmec.org.cn/problems/";

    /// <summary>
    /// A problem with a Chinese detail and its English version; the title is the status's standard one. The client
    /// reads Chinese unless it asks for English (see <see cref="ProblemLocalisation"/>), and then gets
    /// <paramref name="englishExtensions"/> in place of the extension members of the same name (ones that hold text).
    /// </summary>
    public static ProblemHttpResult Localised(int status, string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null,
        IReadOnlyDictionary<string, object?>? englishExtensions = null)
    {
        var standard = ProblemTexts.ForStatus(status);
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>())
        {
            ["code"] = code,
            [ProblemLocalisation.EnglishKey] = new EnglishText(standard.TitleEn, detailEn, englishExtensions),
        };
        return TypedResults.Problem(detail: detailZh, statusCode: status, title: standard.TitleZh, type: TypePrefix + code, extensions: ext);
    }

    public static ProblemHttpResult NotFound(string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null) =>
        Localised(StatusCodes.Status404NotFound, code, detailZh, detailEn, extensions);

    public static ProblemHttpResult Conflict(string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null) =>
        Localised(StatusCodes.Status409Conflict, code, detailZh, detailEn, extensions);

    public static ProblemHttpResult Forbidden(string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null) =>
        Localised(StatusCodes.Status403Forbidden, code, detailZh, detailEn, extensions);

    public static ProblemHttpResult Unprocessable(string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null) =>
        Localised(StatusCodes.Status422UnprocessableEntity, code, detailZh, detailEn, extensions);

    /// <summary>A 400 listing what is wrong with each field; <c>errors</c> holds the messages in the client's language.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, FieldError[]> errors)
    {
        var zh = errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Zh).ToArray());
        var en = errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.En).ToArray());
        var standard = ProblemTexts.ForStatus(StatusCodes.Status400BadRequest);
        var ext = new Dictionary<string, object?>
        {
            ["code"] = "validation",
            ["errors"] = zh,
            [ProblemLocalisation.EnglishKey] = new EnglishText(standard.TitleEn,
                "The request is invalid: " + string.Join("; ", en.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")),
                new Dictionary<string, object?> { ["errors"] = en }),
        };
        return TypedResults.Problem(
            detail: "请求内容有误：" + string.Join("；", zh.Select(e => $"{e.Key}：{string.Join("，", e.Value.Select(m => m.TrimEnd('。')))}")) + "。",
            statusCode: StatusCodes.Status400BadRequest, title: standard.TitleZh, type: TypePrefix + "validation", extensions: ext);
    }

    public static ProblemHttpResult Invalid(string field, string messageZh, string messageEn) =>
        Invalid(new Dictionary<string, FieldError[]> { [field] = [new FieldError(messageZh, messageEn)] });
}

/// <summary>What is wrong with one field, in Chinese and English.</summary>
public sealed record FieldError(string Zh, string En);

/// <summary>Collects field errors for a request record, in the order they are found.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<FieldError>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public RequestErrors Require(bool condition, string field, string messageZh, string messageEn)
    {
        if (!condition)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }
            list.Add(new FieldError(messageZh, messageEn));
        }
        return this;
    }

    public ProblemHttpResult ToProblem() => Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
