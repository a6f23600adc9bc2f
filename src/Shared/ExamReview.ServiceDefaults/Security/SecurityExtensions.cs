using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Security;

public static class SecurityExtensions
{
    /// <summary>The request headers a reviewer console sends, and the response headers it needs to read.</summary>
    private static readonly string[] AllowedRequestHeaders = ["Authorization", "Content-Type", "Accept", "Accept-Language", "If-Match", "If-None-Match", "Prefer"];
    private static readonly string[] ExposedResponseHeaders = ["ETag", "Location", "Retry-After", "Content-Disposition", "Preference-Applied"];

    public static WebApplicationBuilder AddPlatformSecurity(this WebApplicationBuilder builder)
    {
        // No product banner: it only tells an attacker which CVEs to try.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            RequestSizeLimits.ConfigureKestrel(kestrel);
        });
        builder.AddPlatformForwardedHeaders();

        // Hosting's "Request starting/finished" lines print the raw URL, query values included (an ID number in a
        // search, a hand-over authorisation): traces carry the route with the query redacted instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var cors = builder.Configuration.GetSection(CorsSettings.Section).Get<CorsSettings>() ?? new CorsSettings();
        var origins = cors.ReviewerConsoleOrigins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.TrimEnd('/')).ToArray();
        builder.Services.AddCors(options => options.AddPolicy(CorsSettings.PolicyName, policy =>
        {
            // Bearer tokens travel in a header, never in cookies: credentials stay off.
            policy.WithOrigins(origins)
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders(AllowedRequestHeaders)
                .WithExposedHeaders(ExposedResponseHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
        return builder;
    }

    /// <summary>First in the pipeline, so every response — problems and the framework's own included — gets the headers.</summary>
    public static WebApplication UsePlatformSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCors(CorsSettings.PolicyName);
        return app;
    }
}
