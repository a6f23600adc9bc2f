using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// Over-long request lines and header blocks are refused with a problem like every other refusal. Kestrel refuses
/// them itself with an empty 414/431 before any middleware runs, so its limits are set at twice the platform's, and
/// this middleware (behind the status code pages, which write the Chinese-first problem) refuses at the platform's
/// limit: a client over it by up to its own size again reads why. Only a request beyond Kestrel's limit still gets
/// Kestrel's empty answer.
/// </summary>
public static class RequestSizeLimits
{
    /// <summary>The longest request target (path and query) the platform takes; every route is far shorter.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>The largest header block the platform takes: Kestrel's own default, room for any token we issue.</summary>
    public const int MaxHeadersTotalSize = 32 * 1024;

    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 2 * MaxTargetLength;
        kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeadersTotalSize;
    }

    /// <summary>Call after <c>UseStatusCodePages</c>: the refusal is an empty 414/431 the status code pages turn into a problem.</summary>
    public static IApplicationBuilder UseRequestSizeLimits(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var status = Refusal(context.Request);
        if (status is null)
        {
            return next(context);
        }
        context.Response.StatusCode = status.Value;
        return Task.CompletedTask;
    });

    /// <summary>414 or 431 when the request is over a limit, otherwise null.</summary>
    public static int? Refusal(HttpRequest request)
    {
        if ((request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > MaxTargetLength)
        {
            return StatusCodes.Status414UriTooLong;
        }
        var total = 0;
        foreach (var (name, values) in request.Headers)
        {
            // As Kestrel counts: each field's name and value; a repeated field once per value.
            foreach (var value in values)
            {
                total += name.Length + (value?.Length ?? 0);
            }
        }
        return total > MaxHeadersTotalSize ? StatusCodes.Status431RequestHeaderFieldsTooLarge : null;
    }
}
