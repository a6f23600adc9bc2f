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
        Client = new PlatformClient(_host.Services);
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

/// <summary>
/// The distributed topology: the Aspire AppHost runs the five service processes (and the SMS provider stub)
/// against the real PostgreSQL, RabbitMQ and S3 server that scripts/infra.sh starts (its `env` output must be in
/// the environment, as scripts/test.sh does), given to it as connection strings.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    private AppHostProcess? _host;

    public PlatformClient Client { get; private set; } = null!;

    public AppHostProcess Host => _host!;

    public static string InfraScript => Environment.GetEnvironmentVariable("EXAMREVIEW_INFRA_SCRIPT")
        ?? throw new InvalidOperationException("EXAMREVIEW_INFRA_SCRIPT is not set: run the tests through scripts/test.sh, which starts the real servers.");

    public async Task InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("EXAMREVIEW_PG");
        if (string.IsNullOrWhiteSpace(postgres) || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq")))
        {
            throw new InvalidOperationException("The real servers are not configured: run the tests through scripts/test.sh (it starts PostgreSQL, RabbitMQ and s3rver).");
        }

        // A virtual host of its own: queues and exchanges of another run (or a stale one) never see our messages.
        var virtualHost = "er-" + Guid.NewGuid().ToString("N")[..10];
        await InfraAsync("rabbitmqctl", "add_vhost", virtualHost);
        await InfraAsync("rabbitmqctl", "set_permissions", "-p", virtualHost, "examreview", ".*", ".*", ".*");
        RabbitConnection = new Uri(new Uri(Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq")!), virtualHost);

        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__postgres"] = postgres,
            ["ConnectionStrings__rabbitmq"] = RabbitConnection.ToString(),
        };
        _host = await AppHostProcess.StartAsync(
            RepoPaths.AppHostAssembly,
            [
                "--Infrastructure", "connection-strings",
                "--Infrastructure:DatabasePrefix", "er_" + Guid.NewGuid().ToString("N")[..10],
                "--Dashboard:Enabled", "false",
                // The tests sign in through the development issuer, asked for explicitly.
                "--Auth:DevTokens:Enabled", "true",
            ],
            environment,
            TimeSpan.FromMinutes(3));
        Client = new PlatformClient(_host.Services);
    }

    /// <summary>This run's RabbitMQ address, including its own virtual host.</summary>
    public Uri RabbitConnection { get; private set; } = null!;

    public static async Task InfraAsync(params string[] command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [InfraScript, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra.sh {string.Join(' ', command)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
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
