using System.Globalization;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>A machine client configured on the platform (Auth:MachineClients).</summary>
public sealed record MachineClientConfig(string ClientId, string Secret, string Area, string Name);

/// <summary>
/// The embedded platform with provincial machine clients configured, restartable on its data directory (SQLite files
/// and objects stay; the signing key is new on every start, as in the embedded run, so clients authenticate again).
/// </summary>
public sealed class ProvincialPlatform : IAsyncLifetime
{
    public static readonly MachineClientConfig Hunan = new("hunan-sync", "hunan-secret-7f3a9c", "43", "湖南省医师资格考试报名系统");
    public static readonly MachineClientConfig Guangdong = new("guangdong-sync", "guangdong-secret-2b8e1d", "44", "广东省医师资格考试报名系统");

    /// <summary>A client with a tiny budget of its own, to meet the per-client limit without starving the others.</summary>
    public static readonly MachineClientConfig Burst = new("burst", "burst-secret-5c6d", "43", "限流测试客户端");
    public const int BurstPermits = 3;

    private AppHostProcess? _host;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "examreview-provincial-" + Guid.NewGuid().ToString("N"));

    public PlatformClient Client { get; private set; } = null!;

    public Task InitializeAsync() => StartAsync();

    /// <summary>Stops the platform and starts it again on the same data: a service restart.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var port = FreePorts.FindBase(0);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__rabbitmq"] = null,
            ["ConnectionStrings__postgres"] = null,
            ["ConnectionStrings__objectstore"] = null,
            ["RateLimits__Provincial__Clients__" + Burst.ClientId] = BurstPermits.ToString(CultureInfo.InvariantCulture),
            // The simulated provinces poll while they wait for the platform's messages to land: a budget for tests.
            ["RateLimits__Provincial__PermitsPerWindow"] = "100000",
            // The provinces' webhook receivers fail for a while: retries compressed from hours to sub-second delays.
            ["Webhooks__Targets__AllowLoopback"] = "true", // the simulated provinces listen on loopback
            ["Webhooks__Dispatch__FirstRetryDelay"] = "00:00:00.200",
            ["Webhooks__Dispatch__MaxRetryDelay"] = "00:00:01",
            ["Webhooks__Dispatch__RetryFor"] = "00:10:00",
            ["Webhooks__Dispatch__AttemptTimeout"] = "00:00:01",
            ["Webhooks__Dispatch__PollInterval"] = "00:00:00.100",
        };
        MachineClientConfig[] clients = [Hunan, Guangdong, Burst];
        for (var i = 0; i < clients.Length; i++)
        {
            environment[$"Auth__MachineClients__{i}__ClientId"] = clients[i].ClientId;
            environment[$"Auth__MachineClients__{i}__Secret"] = clients[i].Secret;
            environment[$"Auth__MachineClients__{i}__Area"] = clients[i].Area;
            environment[$"Auth__MachineClients__{i}__Name"] = clients[i].Name;
        }
        _host = await AppHostProcess.StartAsync(RepoPaths.EmbeddedAssembly,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", DataDirectory], environment, TimeSpan.FromMinutes(2));
        Client = new PlatformClient(_host.Services);
    }

    private async Task StopAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
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
public sealed class ProvincialCollection : ICollectionFixture<ProvincialPlatform>
{
    public const string Name = "provincial platform";
}
