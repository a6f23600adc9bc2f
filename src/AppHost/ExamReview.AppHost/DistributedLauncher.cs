using System.Diagnostics;
using Npgsql;

namespace ExamReview.AppHost;

/// <summary>
/// Runs each service as its own process (this executable with <c>--service Name</c>) against PostgreSQL,
/// RabbitMQ and S3-compatible storage, prints <c>Name URL</c> as each becomes ready, and stops them all
/// when it is stopped or any of them dies.
/// </summary>
internal static class DistributedLauncher
{
    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("postgres");
        var rabbit = configuration.GetConnectionString("rabbitmq");
        var objectStore = configuration.GetConnectionString("objectstore");
        if (string.IsNullOrWhiteSpace(postgres) || string.IsNullOrWhiteSpace(objectStore))
        {
            await Console.Error.WriteLineAsync("The distributed run needs ConnectionStrings:postgres, ConnectionStrings:rabbitmq and ConnectionStrings:objectstore.");
            return 2;
        }

        var basePort = configuration.GetValue("base-port", 5100);
        var databasePrefix = configuration["db-prefix"] ?? "examreview";
        var dataDirectory = Path.GetFullPath(configuration["data-dir"] ?? ".data");
        var logDirectory = Path.Combine(dataDirectory, "logs");
        Directory.CreateDirectory(logDirectory);
        var signingKey = configuration["Auth:SigningKeys:0"] ?? ExamReview.ServiceDefaults.Auth.DevTokenIssuer.NewKey();
        var passMarkKeyId = configuration["ImageValidation:PassMark:CurrentKeyId"] ?? "distributed";
        var passMarkKey = configuration[$"ImageValidation:PassMark:Keys:{passMarkKeyId}"] ?? ExamReview.ServiceDefaults.Auth.DevTokenIssuer.NewKey();

        var urls = ServiceCatalog.All.ToDictionary(s => s.Name, s => $"http://127.0.0.1:{basePort + s.PortOffset}");
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();

        var children = new List<ChildService>();
        try
        {
            foreach (var entry in ServiceCatalog.All)
            {
                var environment = new Dictionary<string, string>
                {
                    ["ASPNETCORE_URLS"] = urls[entry.Name],
                    ["ConnectionStrings__rabbitmq"] = rabbit!,
                    ["Auth__SigningKeys__0"] = signingKey,
                    ["ImageValidation__PassMark__CurrentKeyId"] = passMarkKeyId,
                    [$"ImageValidation__PassMark__Keys__{passMarkKeyId}"] = passMarkKey,
                    ["Auth__DevTokens__Enabled"] = configuration["Auth:DevTokens:Enabled"] ?? "true",
                    ["DataDirectory"] = Path.Combine(dataDirectory, entry.Name.ToLowerInvariant()),
                };
                if (entry.DatabaseResource is { } database)
                {
                    environment[$"ConnectionStrings__{database}"] = new NpgsqlConnectionStringBuilder(postgres)
                    {
                        Database = $"{databasePrefix}_{entry.Name.ToLowerInvariant()}",
                    }.ConnectionString;
                }
                if (entry.Name == "Notification")
                {
                    foreach (var (key, value) in LocalSmsStub.SettingsUnlessConfigured(configuration, urls[entry.Name]))
                    {
                        environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                    }
                }
                if (entry.Connections.Contains("objectstore"))
                {
                    environment["ConnectionStrings__objectstore"] = objectStore;
                    // The catalog names each service's bucket; services that exchange images by key share one.
                    environment["Storage__Bucket"] = entry.Bucket ?? $"examreview-{entry.DiscoveryKey}";
                }
                foreach (var other in ServiceCatalog.All)
                {
                    environment[$"services__{other.DiscoveryKey}__http__0"] = urls[other.Name];
                }
                children.Add(ChildService.Start(entry.Name, environment, Path.Combine(logDirectory, entry.Name + ".log")));
            }

            await Task.WhenAll(children.Select(async child =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(urls[child.Name]) };
                var ready = Readiness.WaitAsync(http, TimeSpan.FromMinutes(3), stopping.Token);
                var exited = child.Process.WaitForExitAsync(stopping.Token);
                if (await Task.WhenAny(ready, exited) == exited)
                {
                    throw new InvalidOperationException($"{child.Name} exited with code {child.Process.ExitCode} before it was ready; see {child.LogPath}");
                }
                await ready;
                Console.WriteLine($"{child.Name} {urls[child.Name]}");
            }));

            var anyExit = await Task.WhenAny(children.Select(c => c.Process.WaitForExitAsync(stopping.Token)));
            if (!stopping.IsCancellationRequested)
            {
                var dead = children.First(c => c.Process.HasExited);
                await Console.Error.WriteLineAsync($"{dead.Name} exited with code {dead.Process.ExitCode}; stopping the platform. See {dead.LogPath}");
                return 1;
            }
            await anyExit.ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
        finally
        {
            foreach (var child in children)
            {
                child.Stop();
            }
        }
    }

    private sealed record ChildService(string Name, Process Process, string LogPath, StreamWriter Log)
    {
        public static ChildService Start(string name, IReadOnlyDictionary<string, string> environment, string logPath)
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate the AppHost executable.");
            var startInfo = new ProcessStartInfo(self)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // Under `dotnet ExamReview.AppHost.dll` the process is the dotnet muxer: pass the assembly too.
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                startInfo.ArgumentList.Add(typeof(DistributedLauncher).Assembly.Location);
            }
            startInfo.ArgumentList.Add("--service");
            startInfo.ArgumentList.Add(name);
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
            var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
            var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => Write(log, e.Data);
            process.ErrorDataReceived += (_, e) => Write(log, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new ChildService(name, process, logPath, log);
        }

        private static void Write(StreamWriter log, string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (log)
            {
                log.WriteLine(line);
            }
        }

        public void Stop()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
            Process.Dispose();
            lock (Log)
            {
                Log.Dispose();
            }
        }
    }
}
