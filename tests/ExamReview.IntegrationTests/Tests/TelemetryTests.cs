using System.Collections.Concurrent;
using System.Text;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// A stand-in OpenTelemetry collector: accepts OTLP/HTTP exports (protobuf) on loopback and keeps what arrived
/// per signal path (/v1/traces, /v1/metrics).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string ContentType, byte[] Body)> _exports = new();

    public OtlpReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _exports.Enqueue(($"/v1/{signal}", request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        _app.StartAsync().GetAwaiter().GetResult(); // the platform's settings need the address before it starts
        Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string Address { get; }

    /// <summary>Every export body received on <paramref name="path"/>, as Latin-1 text (protobuf strings are plain UTF-8 bytes).</summary>
    public List<string> Received(string path) =>
        [.. _exports.Where(e => e.Path == path && e.ContentType.StartsWith("application/x-protobuf", StringComparison.Ordinal)).Select(e => Encoding.UTF8.GetString(e.Body))];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>An embedded platform exporting its traces and metrics over OTLP/HTTP to an <see cref="OtlpReceiver"/>.</summary>
public sealed class TelemetryPlatform : EmbeddedPlatform
{
    public OtlpReceiver Receiver { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Address,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class TelemetryTests(TelemetryPlatform platform) : IClassFixture<TelemetryPlatform>
{
    [Fact]
    public async Task Traces_and_metrics_reach_an_otlp_collector_with_the_service_and_the_route()
    {
        // A registration: an HTTP request that writes, whose outbox relay publishes on the bus.
        await platform.Client.NewCandidateAsync();

        var traces = await Eventually.GetAsync(() =>
        {
            var bodies = platform.Receiver.Received("/v1/traces");
            return Task.FromResult(bodies.Any(b => b.Contains("/api/v1/registrations", StringComparison.Ordinal)) ? bodies : null);
        }, "a trace export naming the registration route");
        var registration = traces.First(b => b.Contains("/api/v1/registrations", StringComparison.Ordinal));
        foreach (var expected in new[] { "service.name", "ExamReview", "http.route", "http.request.method", "http.response.status_code", "POST /api/v1/registrations" })
        {
            Assert.Contains(expected, registration, StringComparison.Ordinal);
        }
        // The write's outbox relay published on the bus, and the trace shows it.
        Assert.Contains(traces, b => b.Contains("urn:message:ExamReview.Contracts:CandidateRegistered", StringComparison.Ordinal));

        var metrics = await Eventually.GetAsync(() =>
        {
            var bodies = platform.Receiver.Received("/v1/metrics");
            return Task.FromResult(bodies.Any(b => b.Contains("http.server.request.duration", StringComparison.Ordinal)) ? bodies : null);
        }, "a metrics export with the request duration histogram");
        Assert.NotEmpty(metrics);
    }
}
