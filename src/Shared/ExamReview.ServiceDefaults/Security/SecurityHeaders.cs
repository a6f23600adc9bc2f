using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// Headers every response carries, whatever produced it (an endpoint, a problem, the framework's 401/404, health):
/// - <c>nosniff</c> and a CSP that allows nothing: these services answer JSON, images and PDFs, never a page, so a
///   browser that is tricked into rendering one (an uploaded "image" that is really HTML) runs no script and loads nothing;
/// - <c>frame-ancestors 'none'</c> and <c>X-Frame-Options: DENY</c> (older browsers): nothing of ours is framed;
/// - <c>Cache-Control: no-store</c> on everything under <c>/api/</c> and on every image or PDF: these carry
///   personal data (an ID card scan, a photo, a name and ID number) that must not stay in a shared cache or a
///   browser's disk cache. An endpoint serving generic content (example images) opts out by declaring itself
///   <c>public</c>; nothing personal may do that.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (MustNotBeStored(http))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static bool MustNotBeStored(HttpContext context)
    {
        var declared = context.Response.Headers.CacheControl.ToString();
        if (declared.Contains("public", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || IsImageOrDocument(context.Response.ContentType);
    }

    private static bool IsImageOrDocument(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase));
}
