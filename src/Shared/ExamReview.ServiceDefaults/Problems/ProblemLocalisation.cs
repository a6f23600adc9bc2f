using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ExamReview.ServiceDefaults.Security;
using Microsoft.Net.Http.Headers;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// The English text of a problem, carried beside the Chinese one until the response is written; <paramref name="Extensions"/>
/// replaces extension members that hold text (a validation problem's per-field messages).
/// </summary>
public sealed record EnglishText(string Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null);

/// <summary>
/// Chinese first: every problem response is written with a Chinese title and detail and a stable <c>code</c>,
/// in English when the client asks for it (<c>Accept-Language: en</c>). Runs on every problem the platform
/// writes (ours, and the framework's: status code pages, auth challenges, binding failures, size limits),
/// filling in the code and the texts of those that come without them.
/// </summary>
public static class ProblemLocalisation
{
    /// <summary>Extension key of the English text while the problem is in flight; never written to the client.</summary>
    public const string EnglishKey = "__en";

    public static void Apply(HttpContext httpContext, ProblemDetails problem)
    {
        var english = PrefersEnglish(httpContext.Request);
        var status = problem.Status ?? httpContext.Response.StatusCode;
        var standard = ProblemTexts.ForStatus(status);
        if (problem.Extensions.Remove(EnglishKey, out var carried) && carried is EnglishText text)
        {
            if (english)
            {
                problem.Title = text.Title;
                problem.Detail = text.Detail;
                foreach (var (key, value) in text.Extensions ?? new Dictionary<string, object?>())
                {
                    problem.Extensions[key] = value;
                }
            }
            return;
        }
        if (!problem.Extensions.ContainsKey("code"))
        {
            // The framework's own problem (an empty 401/403/404/405/415 turned into one by the status code pages).
            problem.Extensions["code"] = standard.Code;
            problem.Type = Problems.TypePrefix + standard.Code;
            problem.Title = english ? standard.TitleEn : standard.TitleZh;
            problem.Detail = english ? standard.DetailEn : standard.DetailZh;
            return;
        }
        if (!english)
        {
            // Written with English text only: the title at least reads Chinese first.
            problem.Title = standard.TitleZh;
        }
    }

    /// <summary>Whether the client's most preferred language (by q, then order) is English.</summary>
    public static bool PrefersEnglish(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages) || languages.Count == 0)
        {
            return false;
        }
        var first = languages.OrderByDescending(l => l.Quality ?? 1).First();
        return first.Value.StartsWith("en", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A status's standard problem: its stable code and texts in both languages.</summary>
public sealed record StandardProblem(string Code, string TitleZh, string TitleEn, string DetailZh, string DetailEn);

public static class ProblemTexts
{
    public static StandardProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new("bad_request", "请求无效", "Bad request", "请求格式或参数有误。", "The request is malformed."),
        StatusCodes.Status401Unauthorized => new("unauthenticated", "未登录", "Unauthorized",
            "请先登录：请求缺少有效的访问令牌，或令牌已过期。", "Sign in first: the request has no valid access token, or it has expired."),
        StatusCodes.Status403Forbidden => new("forbidden", "无权访问", "Forbidden", "您的账号没有执行此操作的权限。", "Your account may not do this."),
        StatusCodes.Status404NotFound => new("not_found", "未找到", "Not found", "请求的资源不存在。", "The requested resource does not exist."),
        StatusCodes.Status405MethodNotAllowed => new("method_not_allowed", "不支持的请求方法", "Method not allowed",
            "该地址不支持此请求方法。", "This address does not accept this request method."),
        StatusCodes.Status408RequestTimeout => new("request_timeout", "请求超时", "Request timeout",
            "请求内容未能在限定时间内送达（网络过慢或连接中断），请重试。", "The request body did not arrive in time (a slow or broken connection); try again."),
        StatusCodes.Status409Conflict => new("conflict", "冲突", "Conflict", "请求与当前状态冲突。", "The request conflicts with the current state."),
        StatusCodes.Status412PreconditionFailed => new("precondition_failed", "前提条件不满足", "Precondition failed",
            "资源已被修改，请求所依据的版本（If-Match）已过期。", "The resource changed; the version the request is based on (If-Match) is stale."),
        StatusCodes.Status413PayloadTooLarge => new("payload_too_large", "内容过大", "Content too large",
            "上传的内容超过了允许的大小。", "The request body is larger than allowed."),
        StatusCodes.Status414UriTooLong => new("uri_too_long", "请求地址过长", "URI too long",
            $"请求地址（路径和查询参数）超过 {RequestSizeLimits.MaxTargetLength / 1024} KB 的上限，请缩短查询条件。",
            $"The request target (path and query) is longer than {RequestSizeLimits.MaxTargetLength / 1024} KB; shorten the query."),
        StatusCodes.Status415UnsupportedMediaType => new("unsupported_media_type", "不支持的内容类型", "Unsupported media type",
            "请求的内容类型不受支持（上传图片请使用 multipart/form-data，其余请求使用 application/json）。",
            "The request's content type is not supported (multipart/form-data for uploads, application/json otherwise)."),
        StatusCodes.Status422UnprocessableEntity => new("unprocessable", "无法处理", "Unprocessable content",
            "请求内容无法处理。", "The request cannot be processed."),
        StatusCodes.Status428PreconditionRequired => new("precondition_required", "缺少前提条件", "Precondition required",
            "此写操作需要 If-Match 请求头。", "This write needs an If-Match header."),
        StatusCodes.Status431RequestHeaderFieldsTooLarge => new("headers_too_large", "请求头过大", "Request headers too large",
            $"请求头合计超过 {RequestSizeLimits.MaxHeadersTotalSize / 1024} KB 的上限（通常是 Cookie 或令牌过多），请清理后重试。",
            $"The request headers total more than {RequestSizeLimits.MaxHeadersTotalSize / 1024} KB (usually too many cookies or tokens); clear them and try again."),
        StatusCodes.Status429TooManyRequests => new("rate_limited", "请求过于频繁", "Too many requests",
            "请求过于频繁，请稍后再试。", "Too many requests; try again later."),
        StatusCodes.Status503ServiceUnavailable => new("unavailable", "暂时无法处理", "Service unavailable",
            "服务暂时无法处理该请求，请按 Retry-After 稍后重试。", "The service cannot handle the request right now; try again after Retry-After."),
        499 => new("client_closed", "请求已取消", "Client closed request", "客户端已取消请求。", "The client closed the request."),
        >= 500 => new("internal", "服务器内部错误", "Internal error",
            "服务器发生意外错误，已记录跟踪编号。", "An unexpected error occurred; it has been logged with the trace id."),
        _ => new("error", "请求失败", "Request failed", "请求未能完成。", "The request could not be completed."),
    };
}
