using System.Diagnostics;
using System.Globalization;
using ExamReview.Imaging;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.LoadGenerator;

// The registration-peak load generator (issue 19). Loopback only; bounded by --candidates and --duration (then
// --drain); it stops by itself. See tools/ExamReview.LoadGenerator/README.md and scripts/load.sh.
var options = LoadOptions.Parse(args);
var servers = Servers.FromEnvironment();
Console.WriteLine($"load generator: {options.Candidates} candidates, " +
    (options.UploadsPerSecond is { } rate ? $"arriving for {rate} uploads/s (open loop), at most {options.Concurrency} in flight" : $"{options.Concurrency} at once") + $", at most {options.Duration.TotalSeconds:F0} s " +
    $"(+{options.Drain.TotalSeconds:F0} s drain), {options.Reviewers} reviewers, replicas {options.Replicas}; load average {ProcessCpu.LoadAverage()}");

VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
var documents = Documents.Build(8);
var portrait = Documents.Portrait();
Console.WriteLine($"documents: {Documents.Describe(documents)}; portrait {portrait.Length / 1024} KB");

if (options.Services.Count == 0)
{
    Console.WriteLine($"starting the AppHost (databases {options.DatabasePrefix}_*, broker {servers.RabbitMq.AbsolutePath}) ...");
}
await using var host = options.Services.Count > 0 ? null : await AppHostProcess.StartAsync(RepoPaths.AppHostAssembly,
    [
        "--Infrastructure", "connection-strings", "--Infrastructure:DatabasePrefix", options.DatabasePrefix,
        "--Dashboard:Enabled", "false", "--Auth:DevTokens:Enabled", "true",
        "--Load:Replicas", options.Replicas.ToString(CultureInfo.InvariantCulture),
        "--Load:ReplicateAll", options.ReplicateAll ? "true" : "false",
        // One client address drives the peak: the per-address abuse limits would refuse it (they are per person in production).
        "--Load:RateLimitsOff", "true",
    ],
    new Dictionary<string, string?> { ["ConnectionStrings__postgres"] = servers.Postgres }, TimeSpan.FromMinutes(5));
var services = host is null ? options.Services : host.Services.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
Console.WriteLine("platform ready: " + string.Join(", ", services.Select(s => $"{s.Key} {s.Value}")));
var appHostPid = AppHost.Pid();
var marker = options.DatabasePrefix; // in every service's connection strings (scripts/load.sh names the virtual host after it too)
var exitCode = 0;
try
{
    if (options.RestSeconds > 0)
    {
        Console.WriteLine($"settling for {options.SettleSeconds} s before the rest is measured");
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        await Rest.MeasureAsync(marker, TimeSpan.FromSeconds(options.RestSeconds), Console.WriteLine);
    }
    FloorResults? floors = null;
    if (options.Floors)
    {
        Console.WriteLine($"floors (same servers, same files, concurrency {options.Concurrency * 2}; load average {ProcessCpu.LoadAverage()}):");
        floors = await Floors.MeasureAsync(servers, documents, options.Concurrency * 2, options.DatabasePrefix, Console.WriteLine);
    }

    var recorder = new Recorder();
    var ledger = new Ledger();
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) };
    var client = new PlatformClient(http, services, recorder);
    var run = await LoadRun.RunAsync(options, servers, client, ledger, documents, portrait, marker, appHostPid);
    Report.Print(options, recorder, ledger, run, floors);
    if (options.Check && options.Services.Count == 0)
    {
        Console.WriteLine($"end check (load average {ProcessCpu.LoadAverage()}):");
        exitCode = await EndCheck.RunAsync(servers, options.DatabasePrefix, ledger, Console.WriteLine) ? 0 : 1;
        Console.WriteLine(exitCode == 0 ? "CHECK PASS" : "CHECK FAIL");
    }
}
catch (Exception e) when (e is InvalidOperationException or IOException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"load run failed: {e.Message}");
    exitCode = 2;
}
return exitCode;

/// <summary>Finds the AppHost this process started (its child running ExamReview.AppHost), for per-process CPU.</summary>
internal static class AppHost
{
    public static int Pid()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (parent == Environment.ProcessId && cmdline.Contains("ExamReview.AppHost", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }
        return Environment.GetEnvironmentVariable("LOAD_APPHOST_PID") is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : -1;
    }
}
