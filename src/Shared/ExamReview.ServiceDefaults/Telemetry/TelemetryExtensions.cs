using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ExamReview.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Activity sources the platform traces: HTTP in and out, MassTransit and our own outbox relay.</summary>
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "ExamReview.*"];

    /// <summary>
    /// JSON logs with trace ids, and OpenTelemetry traces and metrics. W3C trace context crosses HTTP
    /// (HttpClient and ASP.NET Core) and messages (MassTransit headers; the outbox keeps the writer's
    /// traceparent). Export is OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static WebApplicationBuilder AddPlatformTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources);
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "MassTransit", "ExamReview.*");
        if (otlp)
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter();
        }
        // Registered as singletons so the host disposes (and flushes) them on shutdown.
        builder.Services.AddSingleton(tracing.Build());
        builder.Services.AddSingleton(metrics.Build());
        return builder;
    }

    /// <summary>
    /// Gives each request's server span what a collector needs to group and search it: method, path, route
    /// template, status code (OpenTelemetry semantic conventions), a "POST /api/v1/..." name, and error status for
    /// 5xx. ASP.NET Core's own activity carries none of these, and the instrumentation package that would add them
    /// is not available here (see PACKAGES.md). Goes first, so problem responses written further down count too.
    /// </summary>
    public static IApplicationBuilder UseServerSpanTags(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                var status = context.Response.StatusCode;
                activity.SetTag("http.request.method", context.Request.Method);
                activity.SetTag("url.scheme", context.Request.Scheme);
                activity.SetTag("url.path", context.Request.Path.Value);
                activity.SetTag("http.response.status_code", status);
                if (route is not null)
                {
                    activity.SetTag("http.route", route);
                    activity.DisplayName = $"{context.Request.Method} {route}";
                }
                if (status >= 500)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    });
}
