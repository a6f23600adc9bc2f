using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>Builds the platform's problem responses: a stable machine-readable <c>code</c> and a type URI derived from it.</summary>
public static class Problems
{
    public const string TypePrefix = "https://examreview.nmec.org.cn/problems/";

    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + code, extensions: ext);
    }

    /// <summary>
    /// A problem with a Chinese detail and its English version; the title is the status's standard one. The client
    /// reads Chinese unless it asks for English (see <see cref="ProblemLocalisation"/>).
    /// </summary>
    public static ProblemHttpResult Localised(int status, string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null)
    {
        var standard = ProblemTexts.ForStatus(status);
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>())
        {
            ["code"] = code,
            [ProblemLocalisation.EnglishKey] = new EnglishText(standard.TitleEn, detailEn),
        };
        return TypedResults.Problem(detail: detailZh, statusCode: status, title: standard.TitleZh, type: TypePrefix + code, extensions: ext);
    }

    public static ProblemHttpResult NotFound(string code, string detail) =>
        Create(StatusCodes.Status404NotFound, code, "Not found", detail);

    public static ProblemHttpResult Conflict(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status409Conflict, code, "Conflict", detail, extensions);

    public static ProblemHttpResult Forbidden(string code, string detail) =>
        Create(StatusCodes.Status403Forbidden, code, "Forbidden", detail);

    public static ProblemHttpResult Unprocessable(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status422UnprocessableEntity, code, "Unprocessable content", detail, extensions);

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors)
    {
        var detail = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
        return Create(StatusCodes.Status400BadRequest, "validation", "The request is invalid", detail,
            new Dictionary<string, object?> { ["errors"] = errors });
    }

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects field errors for a request record, in the order they are found.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public RequestErrors Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }
            list.Add(message);
        }
        return this;
    }

    public ProblemHttpResult ToProblem() => Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
