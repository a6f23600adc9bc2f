using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>Turns every exception that escapes an endpoint into a problem response; nothing is swallowed silently.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail, extensions) = exception switch
        {
            ProblemException p => (p.Status, p.Code, p.Title, p.Detail, p.Extensions),
            BadHttpRequestException b => (b.StatusCode, "bad_request", "The request is malformed", Unwrap(b), null),
            DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "concurrent_change", "Conflict",
                "The resource was changed by another request at the same time; reload and try again.", null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "client_closed", "Client closed request", "The client closed the request.", null),
            _ => (StatusCodes.Status500InternalServerError, "internal", "Internal error",
                "An unexpected error occurred; it has been logged with the trace id.", (IDictionary<string, object?>?)null),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            logger.LogInformation("Request refused with {Status} {Code}: {Detail}", status, code, detail);
        }

        httpContext.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = Problems.TypePrefix + code,
                Extensions = { ["code"] = code },
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

    // Minimal APIs wrap JSON errors: the inner message names the offending field and position.
    private static string Unwrap(BadHttpRequestException exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} {inner.Message}" : exception.Message;
}
