using Microsoft.AspNetCore.Builder;
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
}
