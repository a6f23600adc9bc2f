using System.Text.Json;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.OpenApi;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Provincial;
using ExamReview.ServiceDefaults.RateLimits;
using ExamReview.ServiceDefaults.Security;
using ExamReview.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExamReview.ServiceDefaults.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Everything a service host shares — logs, traces, problem details, auth, OpenAPI, health, messaging —
    /// then the modules' own registrations. A service process passes its one module; the embedded AppHost
    /// passes all five.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string hostName, params ServiceModule[] modules)
    {
        builder.AddPlatformTelemetry(hostName);
        builder.AddPlatformSecurity();

        // Chinese first, English on request, a stable code on every problem: ours and the framework's.
        // Problem JSON whatever the request's Accept says (registered first: the first writer that can write, writes).
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => ProblemLocalisation.Apply(c.HttpContext, c.ProblemDetails));
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Malformed bodies throw so the handler can name what is wrong instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            // A property sent twice was read as its last value, silently: refused as a malformed body (400 bad_request,
            // naming where). Unknown properties stay allowed: provincial clients may send a newer version's fields.
            o.SerializerOptions.AllowDuplicateProperties = false;
            // A time without an offset named no single instant (read in the server's time zone): refused, naming where.
            o.SerializerOptions.Converters.Add(new RequiredOffsetConverter());
        });

        builder.AddPlatformAuth([.. modules.Select(m => m.Name)]);
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.SigningKeys.Count > 0)
        {
            builder.Services.AddSingleton(new DevTokenIssuer(auth));
        }

        builder.AddPlatformRateLimits();
        builder.AddServiceDocuments(hostName, modules);
        // Calls between services resolve `http://<service>` through service discovery (services:<name>:http:0, as
        // Aspire injects it) and go through the standard resilience handler (timeouts, retries, circuit breaker).
        builder.Services.AddServiceDiscovery();
        builder.Services.AddHttpClient(ServiceClients.HttpClientName)
            .AddServiceDiscovery()
            .AddStandardResilienceHandler();
        builder.Services.AddSingleton<ServiceClients>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);

        foreach (var module in modules)
        {
            module.AddServices(builder);
        }
        builder.AddPlatformMessaging(modules);
        builder.Services.AddSingleton<IReadOnlyList<ServiceModule>>(modules);
        return builder;
    }

    /// <summary>Middleware and endpoints every host maps, then each module's own endpoints.</summary>
    public static WebApplication MapServiceEndpoints(this WebApplication app)
    {
        app.UsePlatformSecurity();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestSizeLimits();
        // Routing's 405/415 answers for public paths stay public (a wrong content type to the photo tool is a 415, not a 401).
        app.UsePublicRejections();
        app.UseAuthentication();
        app.UseAuthorization();
        // A JSON body in a charset .NET cannot decode is a 415 problem, not a 500 from the body reader.
        app.UseJsonRequestCharsets();
        // So is a time in the query that names no offset (a JSON body's is refused by RequiredOffsetConverter).
        app.UseExplicitTimeOffsets();
        app.UseRateLimiter();

        app.MapHealthChecks(HealthPaths.Alive, new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks(HealthPaths.Ready, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteHealthAsync,
        }).AllowAnonymous();
        var modules = app.Services.GetRequiredService<IReadOnlyList<ServiceModule>>();
        app.MapServiceDocuments(modules);

        var auth = app.Services.GetRequiredService<AuthOptions>();
        if (auth.DevTokens.Enabled)
        {
            app.PlatformGroup().MapDevTokenApi("/api/v1");
            // Machine clients of provincial systems (client credentials); documented with the provincial surface.
            app.MapGroup("").WithMetadata(ProvincialEndpointMetadata.Instance).MapClientCredentialsApi("/api/v1");
        }

        // Every module endpoint refuses control and bidi characters in its text input before its handler runs.
        var endpoints = app.MapGroup("").AddEndpointFilterFactory(TextHygieneFilter.Create);
        foreach (var module in modules)
        {
            // Inside a group named after the module's OpenAPI document, so each service's document lists its own endpoints.
            module.MapEndpoints(endpoints.ServiceGroup(module));
        }
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), error = e.Value.Exception?.Message ?? e.Value.Description }),
        });
    }
}
