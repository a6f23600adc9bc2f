using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ExamReview.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Our own activity sources and meters (outbox relay, SMS, review metrics) and MassTransit's.</summary>
    public static readonly string[] Sources = ["MassTransit", "ExamReview.*"];

    /// <summary>
    /// JSON logs with trace ids, and OpenTelemetry traces and metrics in Aspire's shape: ASP.NET Core, HttpClient
    /// and runtime instrumentation from the OpenTelemetry packages, plus MassTransit and our own sources. W3C trace
    /// context crosses HTTP and messages (MassTransit headers; the outbox keeps the writer's traceparent). Export is
    /// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set — the Aspire AppHost points it at its dashboard.
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
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Sources))
            .WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>Health probes arrive every few seconds from orchestrators; tracing them only buries real requests.</summary>
    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthPaths.Ready) || path.StartsWithSegments(HealthPaths.Alive);
}

/// <summary>Aspire's health endpoint convention: <c>/health</c> for readiness, <c>/alive</c> for liveness.</summary>
public static class HealthPaths
{
    public const string Ready = "/health";
    public const string Alive = "/alive";
}
