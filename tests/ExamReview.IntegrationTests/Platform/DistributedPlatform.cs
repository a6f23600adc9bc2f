namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// The distributed topology through Aspire's own test host: the real AppHost (<c>Projects.ExamReview_AppHost</c>)
/// runs the five service processes and the SMS provider stub against the real PostgreSQL, RabbitMQ and S3 server
/// that scripts/infra.sh starts (its `env` output must be in the environment, as scripts/test.sh does), given as
/// connection strings. Each run gets databases and a RabbitMQ virtual host of its own.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    private AspirePlatform? _platform;

    public PlatformClient Client => _platform?.Client ?? throw new InvalidOperationException("Not started.");

    /// <summary>This run's RabbitMQ address, including its own virtual host.</summary>
    public Uri RabbitConnection { get; private set; } = null!;

    public static string InfraScript => Environment.GetEnvironmentVariable("EXAMREVIEW_INFRA_SCRIPT")
        ?? throw new InvalidOperationException("EXAMREVIEW_INFRA_SCRIPT is not set: run the tests through scripts/test.sh, which starts the real servers.");

    public async Task InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("EXAMREVIEW_PG");
        var rabbit = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq");
        var objectStore = Environment.GetEnvironmentVariable("ConnectionStrings__objectstore");
        if (string.IsNullOrWhiteSpace(postgres) || string.IsNullOrWhiteSpace(rabbit) || string.IsNullOrWhiteSpace(objectStore))
        {
            throw new InvalidOperationException("The real servers are not configured: run the tests through scripts/test.sh (it starts PostgreSQL, RabbitMQ and s3rver).");
        }

        // A virtual host of its own: queues and exchanges of another run (or a stale one) never see our messages.
        var virtualHost = "er-" + Guid.NewGuid().ToString("N")[..10];
        await InfraAsync("rabbitmqctl", "add_vhost", virtualHost);
        await InfraAsync("rabbitmqctl", "set_permissions", "-p", virtualHost, "examreview", ".*", ".*", ".*");
        RabbitConnection = new Uri(new Uri(rabbit), virtualHost);

        _platform = await AspirePlatform.StartAsync(
        [
            "--Infrastructure=connection-strings",
            $"--Infrastructure:DatabasePrefix=er_{Guid.NewGuid().ToString("N")[..10]}",
            $"--ConnectionStrings:postgres={postgres}",
            $"--ConnectionStrings:rabbitmq={RabbitConnection}",
            $"--ConnectionStrings:objectstore={objectStore}",
            // The tests sign in through the development issuer, asked for explicitly.
            "--Auth:DevTokens:Enabled=true",
        ]);
    }


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
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}
