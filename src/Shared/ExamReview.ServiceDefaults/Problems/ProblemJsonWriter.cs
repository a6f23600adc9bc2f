using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c> says. The framework's
/// writer declines a request whose <c>Accept</c> names no JSON (<c>text/html</c>, <c>*/xml</c>, <c>image/*</c>): the
/// status code pages then answered in plain text, the exception handler with an empty body, and a typed problem result
/// was serialised without <see cref="ProblemLocalisation"/> (so its internal English member reached the client). An
/// API has one error format, and a client that asked for HTML still needs the code and the Chinese text. Registered
/// ahead of the framework's writer, which it replaces; it does what that writer does (the options' customisation,
/// a trace id) and no content negotiation.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    private const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var httpContext = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= httpContext.Response.StatusCode;
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        if (!problem.Extensions.ContainsKey("traceId"))
        {
            problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        }
        var typeInfo = jsonOptions.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(httpContext.Response.WriteAsJsonAsync(problem, typeInfo, ContentType, httpContext.RequestAborted));
    }
}
