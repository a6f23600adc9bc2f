using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ExamReview.DeploymentTests;

/// <summary>
/// docker-compose.yml brought up as a deployment would run it: the project's images, a fresh signing key the test's
/// identity provider shares with the services, each service published on a free loopback port, its own compose
/// project (network and volumes), and `down -v` at the end. Missing engine or images fail the test: run
/// scripts/images.sh first (scripts/test.sh does). Used as `await using`: it comes down even when the test fails.
/// </summary>
public sealed partial class ComposeDeployment : IAsyncDisposable
{
    /// <summary>The five services: the name PlatformClient uses and the compose service it runs as.</summary>
    public static readonly IReadOnlyList<string> ServiceNames = ["Registration", "MaterialStorage", "ImageValidation", "ReviewWorkflow", "Notification"];

    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(5);

    private readonly string _root = FindRoot();
    private readonly string _project = "examreview-deploy-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, string> _environment = [];
    private (string File, string[] Prefix) _compose;
    private bool _down;

    public string SigningKey { get; } = IdentityProviderTokens.NewKey();

    public IReadOnlyDictionary<string, Uri> Services { get; private set; } = new Dictionary<string, Uri>();

    /// <summary>The gateway (YARP): the browser's one origin, the console at /console/ and the API at /api/v1/.</summary>
    public Uri Gateway { get; private set; } = null!;

    /// <summary>How long `up` took, and how long until every service answered /health.</summary>
    public TimeSpan UpTime { get; private set; }

    public TimeSpan HealthyTime { get; private set; }

    public async Task UpAsync()
    {
        var info = await Cli.RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"]);
        if (info.ExitCode != 0)
        {
            throw new InvalidOperationException("No Docker engine answers. scripts/images.sh installs and starts one and builds the images:\n" + info.Output);
        }
        _compose = await FindComposeAsync();

        _environment["EXAMREVIEW_SIGNING_KEY"] = SigningKey;
        _environment["PASSMARK_KEY"] = IdentityProviderTokens.NewKey();
        _environment["IDNUMBER_KEY"] = IdentityProviderTokens.NewKey();
        _environment["IDNUMBER_INDEX_KEY"] = IdentityProviderTokens.NewKey();
        _environment["WEBHOOK_SECRETS_KEY"] = IdentityProviderTokens.NewKey();
        _environment["EXAMREVIEW_BIND_ADDRESS"] = "127.0.0.1";
        await EnsureImagesAsync();
        var clock = Stopwatch.StartNew();
        try
        {
            // A published port is free when picked but may be taken before Docker binds it (CI saw "port is already
            // allocated"): the second attempt gets new ports. Containers of the first that did start are removed first.
            var up = await UpOnFreshPortsAsync();
            if (up.ExitCode != 0 && up.Output.Contains("port is already allocated", StringComparison.Ordinal))
            {
                await ComposeAsync(["down", "-v", "--remove-orphans", "--timeout", "20"], TimeSpan.FromMinutes(3));
                up = await UpOnFreshPortsAsync();
            }
            up.EnsureSuccess("docker-compose up");
            UpTime = clock.Elapsed;
            await WaitUntilHealthyAsync();
            HealthyTime = clock.Elapsed;
        }
        catch (Exception ex)
        {
            var logs = await LogsAsync();
            await DownAsync();
            throw new InvalidOperationException($"{ex.Message}\n--- docker-compose logs ---\n{logs}", ex);
        }
    }

    /// <summary>Containers, network and volumes go (`down -v`).</summary>
    public async Task DownAsync()
    {
        _down = true;
        var down = await ComposeAsync(["down", "-v", "--remove-orphans", "--timeout", "20"], TimeSpan.FromMinutes(3));
        down.EnsureSuccess("docker-compose down -v");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_down && _compose.File is not null)
        {
            await DownAsync();
        }
    }

    /// <summary>The end of every container's log, for a failure message.</summary>
    public async Task<string> LogsAsync() => (await ComposeAsync(["logs", "--no-color", "--tail", "40"], TimeSpan.FromMinutes(1))).Output;

    /// <summary>Everything the named services have printed since they started.</summary>
    public async Task<string> FullLogsAsync(params string[] services) => (await ComposeAsync(["logs", "--no-color", .. services], TimeSpan.FromMinutes(1))).Output;

    /// <summary>The containers' volumes, to check `down -v` leaves none behind.</summary>
    public async Task<IReadOnlyList<string>> VolumesAsync()
    {
        var result = (await Cli.RunAsync("docker", ["volume", "ls", "-q", "--filter", $"label=com.docker.compose.project={_project}"])).EnsureSuccess("docker volume ls");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private Task<CliResult> ComposeAsync(IEnumerable<string> arguments, TimeSpan timeout) =>
        Cli.RunAsync(_compose.File, [.. _compose.Prefix, "-p", _project, "-f", Path.Combine(_root, "docker-compose.yml"), .. arguments], _environment, timeout, _root);

    /// <summary>Debian's docker-compose (1.29), or the compose plugin of a newer Docker.</summary>
    private static async Task<(string, string[])> FindComposeAsync()
    {
        if ((await Cli.RunAsync("docker-compose", ["version"])).ExitCode == 0)
        {
            return ("docker-compose", []);
        }
        if ((await Cli.RunAsync("docker", ["compose", "version"])).ExitCode == 0)
        {
            return ("docker", ["compose"]);
        }
        throw new InvalidOperationException("Neither docker-compose nor `docker compose` is installed: run scripts/images.sh.");
    }

    /// <summary>Every image the compose file names must be on the engine already (nothing can be pulled here).</summary>
    private async Task EnsureImagesAsync()
    {
        var config = (await ComposeAsync(["config"], TimeSpan.FromMinutes(1))).EnsureSuccess("docker-compose config");
        var images = ImageLine().Matches(config.Output).Select(m => m.Groups[1].Value.Trim('\'', '"')).Distinct().ToList();
        // The services, the gateway, PostgreSQL, RabbitMQ, the S3 server and clamd.
        Assert.Equal(ServiceNames.Count + 5, images.Count);
        var missing = new List<string>();
        foreach (var image in images)
        {
            if ((await Cli.RunAsync("docker", ["image", "inspect", "--format", "{{.Id}}", image])).ExitCode != 0)
            {
                missing.Add(image);
            }
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Images missing on the engine: {string.Join(", ", missing)}. Build them with scripts/images.sh.");
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + HealthyTimeout;
        // The gateway last: compose starts it once every service is healthy.
        foreach (var (name, url) in Services.Append(new KeyValuePair<string, Uri>("Gateway", Gateway)))
        {
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(url, "/health"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{name} did not answer /health with 200 within {HealthyTimeout.TotalMinutes:0} min at {url}.");
                }
                await Task.Delay(1000);
            }
        }
    }

    private async Task<CliResult> UpOnFreshPortsAsync()
    {
        var ports = FreeLoopbackPorts(ServiceNames.Count + 1);
        var services = new Dictionary<string, Uri>();
        for (var i = 0; i < ServiceNames.Count; i++)
        {
            _environment[$"EXAMREVIEW_{ServiceNames[i].ToUpperInvariant()}_PORT"] = ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            services[ServiceNames[i]] = new Uri($"http://127.0.0.1:{ports[i]}");
        }
        Services = services;
        _environment["EXAMREVIEW_GATEWAY_PORT"] = ports[^1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        Gateway = new Uri($"http://127.0.0.1:{ports[^1]}");
        return await ComposeAsync(["up", "-d", "--no-build"], UpTimeout);
    }

    /// <summary>Distinct free ports: every listener stays open until all are picked, so none is handed out twice.</summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("docker-compose.yml not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s+image:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();
}
