using ExamReview.ImageValidation.Extensions;
using ExamReview.ImageValidation.Scanning;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExamReview.UnitTests.Validation;

/// <summary>
/// ImageValidation never judges uploads without a malware scanner by accident: with no <c>ClamAv:Endpoint</c> it does
/// not start, unless the configuration says out loud that this run is unscanned (the embedded newcomer run).
/// </summary>
public sealed class ScannerRequiredTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"scanner-required-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_scanner_the_service_refuses_to_start_and_says_what_to_set()
    {
        await using var app = Build([]);

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ClamAv:Endpoint", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("ClamAv:AllowUnscanned", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClamAv:Endpoint", "tcp://clamav:3310", true)]
    [InlineData("ClamAv:AllowUnscanned", "true", false)]
    public async Task A_scanner_or_running_unscanned_said_out_loud_is_accepted(string key, string value, bool scans)
    {
        await using var app = Build([new(key, value)]);

        var options = app.Services.GetRequiredService<IOptions<ClamAvOptions>>().Value;

        Assert.True(options.IsValid);
        Assert.Equal(scans, options.Configured);
    }

    private WebApplication Build(KeyValuePair<string, string?>[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["DataDirectory"] = _dataDirectory;
        builder.Configuration.AddInMemoryCollection(settings);
        new ImageValidationModule().AddServices(builder);
        return builder.Build();
    }
}
