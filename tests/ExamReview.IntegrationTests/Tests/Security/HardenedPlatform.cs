using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// An embedded platform with one reviewer-console origin configured, logging at Information (as an operator chasing a
/// problem would run it) and exporting traces and logs to a stand-in collector, so tests can read what leaves it.
/// </summary>
public sealed class HardenedPlatform : EmbeddedPlatform
{
    public const string ConsoleOrigin = "https://review.example.cn";

    public OtlpReceiver Receiver { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Cors__ReviewerConsoleOrigins__0"] = ConsoleOrigin,
        ["Logging__LogLevel__Default"] = "Information",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Address,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
