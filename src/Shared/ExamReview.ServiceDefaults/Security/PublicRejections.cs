using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// Routing answers a request whose path exists but not for its content type (415) or method (405) with endpoints of
/// its own that carry no metadata, so the fallback policy asked a caller of the public photo tool to sign in (401) for
/// sending the wrong content type. Such a rejection is let through anonymously exactly when every endpoint at that path
/// (for that method, in the 415 case) allows anonymous callers; the status code pages then answer the framework's
/// Chinese-first problem. Where any endpoint at the path needs a token, an anonymous caller still gets 401.
/// </summary>
public static class PublicRejections
{
    // The display names ASP.NET Core's AcceptsMatcherPolicy and HttpMethodMatcherPolicy give their rejection endpoints.
    private const string UnsupportedMediaType = "415 HTTP Unsupported Media Type";
    private const string MethodNotSupported = "405 HTTP Method Not Supported";

    public static IApplicationBuilder UsePublicRejections(this IApplicationBuilder app)
    {
        var endpoints = app.ApplicationServices.GetRequiredService<EndpointDataSource>();
        return app.Use((context, next) =>
        {
            if (context.GetEndpoint() is { } endpoint and not RouteEndpoint
                && endpoint.DisplayName is UnsupportedMediaType or MethodNotSupported
                && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
                && AllPublic(endpoints, context.Request, byMethod: endpoint.DisplayName == UnsupportedMediaType))
            {
                context.SetEndpoint(new Endpoint(endpoint.RequestDelegate, new EndpointMetadataCollection([.. endpoint.Metadata, new AllowAnonymousAttribute()]), endpoint.DisplayName));
            }
            return next(context);
        });
    }

    /// <summary>Whether the endpoints this path (and method) could have reached are all anonymous — and there is one.</summary>
    private static bool AllPublic(EndpointDataSource source, HttpRequest request, bool byMethod)
    {
        var any = false;
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (byMethod && methods is { Count: > 0 } && !methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            // Route constraints are not checked: a path some constrained endpoint might have taken counts, which only
            // makes the answer stricter.
            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary());
            if (!matcher.TryMatch(request.Path, new RouteValueDictionary()))
            {
                continue;
            }
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                return false;
            }
            any = true;
        }
        return any;
    }
}
