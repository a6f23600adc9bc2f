using System.Text.Json;
using System.Text.RegularExpressions;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// Turns every exception that escapes an endpoint into a problem response; nothing is swallowed silently. The
/// framework's messages name .NET types ("Guid candidateId", "System.Int32"), so the client gets the field and
/// what is wrong with it in our words instead.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, texts, extensions) = exception switch
        {
            ProblemException p => (p.Status, p.Code, new Details(p.DetailZh, p.DetailEn), p.Extensions),
            BadHttpRequestException b => Describe(b),
            // A lost race (a changed version, or a unique key another request took first, as two operators creating the
            // same area, template or setting at once do) wrote nothing: a conflict to retry, not a fault.
            DbUpdateException d when d.IsLostRace() => (StatusCodes.Status409Conflict, "concurrent_change",
                Texts("同一时间有其他请求修改了该数据，请刷新后重试。", "The resource was changed by another request at the same time; reload and try again."), null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "client_closed", Standard(499), null),
            _ => (StatusCodes.Status500InternalServerError, "internal", Standard(500), (IDictionary<string, object?>?)null),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            logger.LogInformation(exception, "Request refused with {Status} {Code}", status, code);
        }

        httpContext.Response.StatusCode = status;
        var standard = ProblemTexts.ForStatus(status);
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = standard.TitleZh,
                Detail = texts.Zh,
                Type = Problems.TypePrefix + code,
                Extensions = { ["code"] = code, [ProblemLocalisation.EnglishKey] = new EnglishText(standard.TitleEn, texts.En) },
            },
        };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                context.ProblemDetails.Extensions[key] = value;
            }
        }
        return await problems.TryWriteAsync(context);
    }

    /// <summary>A problem's detail, Chinese and English.</summary>
    private sealed record Details(string Zh, string En);

    private static Details Texts(string detailZh, string detailEn) => new(detailZh, detailEn);

    private static Details Standard(int status)
    {
        var standard = ProblemTexts.ForStatus(status);
        return new Details(standard.DetailZh, standard.DetailEn);
    }

    private static (int, string, Details, IDictionary<string, object?>?) Describe(BadHttpRequestException exception)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return (413, "payload_too_large", Standard(413), null);
            case StatusCodes.Status415UnsupportedMediaType:
                return (415, "unsupported_media_type", Standard(415), null);
            case StatusCodes.Status408RequestTimeout:
                return (408, "request_timeout", Standard(408), null);
        }
        if (exception.InnerException is TimeWithoutOffsetException time)
        {
            var field = WireName((time.Path ?? "$").TrimStart('$', '.'));
            var (zh, en) = ExplicitTimeOffsets.Describe(field);
            return (StatusCodes.Status400BadRequest, ExplicitTimeOffsets.Code, Texts(zh, en), new Dictionary<string, object?> { ["field"] = field });
        }
        if (exception.InnerException is JsonException json)
        {
            var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
            return (StatusCodes.Status400BadRequest, "bad_request",
                Texts($"请求体不是有效的 JSON，字段类型不对，或同一字段出现了不止一次（位置 {path}）。",
                    $"The request body is not valid JSON, a field has the wrong type, or a field appears more than once (at {path})."),
                new Dictionary<string, object?> { ["field"] = path });
        }
        if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            var (name, value) = (WireName(bind.Groups["name"].Value), ProblemText.Echo(bind.Groups["value"].Value));
            return (StatusCodes.Status400BadRequest, "bad_request",
                Texts($"参数 {name} 的值“{value}”格式不正确。", $"The value '{value}' of parameter {name} is not valid."),
                new Dictionary<string, object?> { ["field"] = name });
        }
        if (RequiredMissing().Match(exception.Message) is { Success: true } missing)
        {
            var name = WireName(missing.Groups["name"].Value);
            return (StatusCodes.Status400BadRequest, "bad_request",
                Texts($"缺少必填项 {name}。", $"The required value {name} is missing."), new Dictionary<string, object?> { ["field"] = name });
        }
        return (StatusCodes.Status400BadRequest, "bad_request", Standard(400), null);
    }

    /// <summary>
    /// The name the client sent: the framework names the .NET parameter or the <c>[AsParameters]</c> record's property
    /// (<c>Limit</c>), while every query, form and route name on the wire is its camel-case form (<c>limit</c>).
    /// </summary>
    private static string WireName(string parameterName) =>
        string.Join('.', parameterName.Split('.').Select(part => JsonNamingPolicy.CamelCase.ConvertName(part)));

    // Minimal APIs: Failed to bind parameter "Guid candidateId" from "abc".
    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[\w.]+)" from "(?<value>[^"]*)""")]
    private static partial Regex BindFailure();

    // Minimal APIs: Required parameter "UploadRequest request" was not provided from …
    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[\w.]+)" was not provided""")]
    private static partial Regex RequiredMissing();
}
