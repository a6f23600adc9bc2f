using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ExamReview.ConsoleHosting;

/// <summary>
/// Serves the reviewer console (the Vue SPA built into <c>console/dist</c>) at <see cref="PathBase"/> on the platform's
/// own origin, so the browser calls <c>/api/v1/...</c> on the same origin and no CORS is needed.
/// <para>
/// Its responses carry a CSP of their own, strict but one a page can live with: scripts, styles, fonts and API calls
/// only from this origin, images also from <c>blob:</c> (images are fetched with the bearer token and shown as object
/// URLs), no inline script, no eval, no framing, no plugins. <c>style-src 'unsafe-inline'</c> is needed because Element
/// Plus and viewer.js position elements through style attributes; no script can be injected through it. The API keeps
/// the platform's allow-nothing CSP: this branch answers only paths under <see cref="PathBase"/>.
/// </para>
/// </summary>
public static class ReviewerConsole
{
    public const string PathBase = "/console";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src 'self' data:; " +
        "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>
    /// The built console: <c>Console:Root</c> when configured, else <c>console/dist</c> in the first parent directory of
    /// the working directory or the application's that has one (a repository checkout). Null when none is built.
    /// </summary>
    public static string? FindRoot(IConfiguration configuration)
    {
        if (configuration["Console:Root"] is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "console", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Branches <see cref="PathBase"/> off before the rest of the pipeline (call it before the platform's middleware):
    /// hashed assets are cached for good, everything else under the path falls back to <c>index.html</c> (client-side
    /// routes), never cached so a new build is picked up at once.
    /// </summary>
    /// <summary>Registers the built console at <paramref name="root"/>; the container owns (and disposes) its file provider.</summary>
    public static IServiceCollection AddReviewerConsole(this IServiceCollection services, string root) =>
        services.AddSingleton(_ => new ConsoleFiles(root));

    public static void UseReviewerConsole(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<ConsoleFiles>()?.Provider is not { } files)
        {
            return;
        }
        app.Map(PathBase, branch =>
        {
            branch.Use((context, next) =>
            {
                context.Response.OnStarting(static state =>
                {
                    SetHeaders((HttpContext)state);
                    return Task.CompletedTask;
                }, context);
                return next(context);
            });
            branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = f => f.Context.Response.Headers.CacheControl =
                    f.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
            });
            branch.Run(async context =>
            {
                var method = context.Request.Method;
                // A missing asset is a 404, not the page: a stale index.html asking for an old bundle must fail visibly.
                if (!(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) || context.Request.Path.StartsWithSegments("/assets"))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                var index = files.GetFileInfo("index.html");
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.ContentLength = index.Length;
                if (HttpMethods.IsGet(method))
                {
                    await context.Response.SendFileAsync(index, context.RequestAborted);
                }
            });
        });
    }

    private static void SetHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }
}

/// <summary>The console build's files, one provider for the host's lifetime.</summary>
public sealed class ConsoleFiles(string root) : IDisposable
{
    public PhysicalFileProvider Provider { get; } = new(root);

    public void Dispose() => Provider.Dispose();
}
