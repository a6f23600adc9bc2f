using ExamReview.IntegrationTests.Infrastructure;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// The embedded default, launched as the README's run command does, on its own port and data directory.
/// Derived fixtures add settings (as environment variables) for a platform of their own.
/// </summary>
public class EmbeddedPlatform : IAsyncLifetime
{
    private AppHostProcess? _host;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "examreview-embedded-" + Guid.NewGuid().ToString("N"));

    public PlatformClient Client { get; private set; } = null!;

    /// <summary>Configuration on top of the defaults, e.g. <c>RateLimits__PublicPermitsPerWindow</c>.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Where a platform configures its own signing key (no development issuer), the test signs its tokens here.</summary>
    protected virtual Func<System.Text.Json.Nodes.JsonObject, string>? TokenIssuer => null;

    public async Task InitializeAsync()
    {
        var port = FreePorts.FindBase(0);
        // The embedded run must need no server: clear whatever the test environment points at.
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__rabbitmq"] = null,
            ["ConnectionStrings__postgres"] = null,
            ["ConnectionStrings__objectstore"] = null,
        };
        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }
        _host = await AppHostProcess.StartAsync(RepoPaths.EmbeddedAssembly, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", DataDirectory], environment, TimeSpan.FromMinutes(2));
        Client = new PlatformClient(_host.Services, TokenIssuer);
    }

    public string ObjectsDirectory => Path.Combine(DataDirectory, "objects");

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: the temp folder is cleaned by the OS
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedCollection : ICollectionFixture<EmbeddedPlatform>
{
    public const string Name = "embedded platform";
}

[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<DistributedPlatform>
{
    public const string Name = "distributed platform";
}
