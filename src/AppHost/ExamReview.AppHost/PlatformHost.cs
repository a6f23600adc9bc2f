using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.AppHost;

/// <summary>
/// Brings the platform up. With no broker connection string it is the embedded default: all five services
/// in this process on one in-memory bus, SQLite and a filesystem object store. Given
/// <c>ConnectionStrings:postgres</c>, <c>:rabbitmq</c> and <c>:objectstore</c> it launches each service as its
/// own process against them (the keys an Aspire AppHost would inject, so one can replace this host).
/// </summary>
public static class PlatformHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var service = configuration["service"];
        if (service is not null)
        {
            var entry = ServiceCatalog.All.SingleOrDefault(s => string.Equals(s.Name, service, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                await Console.Error.WriteLineAsync($"Unknown service '{service}'. Known: {string.Join(", ", ServiceCatalog.All.Select(s => s.Name))}");
                return 2;
            }
            await RunSingleServiceAsync(args, entry);
            return 0;
        }
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("rabbitmq")))
        {
            return await DistributedLauncher.RunAsync(configuration);
        }
        await RunEmbeddedAsync(args, configuration);
        return 0;
    }

    /// <summary>A child process of the distributed run: exactly what the service's own Program does.</summary>
    private static async Task RunSingleServiceAsync(string[] args, ServiceEntry entry)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults(entry.Name, entry.CreateModule());
        var smsStub = LocalSmsStub.AddIfRequested(builder);
        var app = builder.Build();
        app.MapServiceEndpoints();
        LocalSmsStub.MapIf(app, smsStub);
        await app.RunAsync();
    }

    private static async Task RunEmbeddedAsync(string[] args, IConfiguration configuration)
    {
        var port = configuration.GetValue("port", 5100);
        var baseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(baseUrl);

        var settings = new Dictionary<string, string?>
        {
            ["DataDirectory"] = configuration["data-dir"] ?? configuration["DataDirectory"] ?? ".data",
            // The embedded run is a development run: it mints its own tokens unless keys are configured.
            ["Auth:DevTokens:Enabled"] = "true",
        };
        if (string.IsNullOrWhiteSpace(builder.Configuration["Auth:SigningKeys:0"]))
        {
            settings["Auth:SigningKeys:0"] = DevTokenIssuer.NewKey();
        }
        // The photo tool signs its pass marks; Registration verifies them with the same key ring.
        if (string.IsNullOrWhiteSpace(builder.Configuration["ImageValidation:PassMark:CurrentKeyId"]))
        {
            settings["ImageValidation:PassMark:CurrentKeyId"] = "embedded";
            settings["ImageValidation:PassMark:Keys:embedded"] = DevTokenIssuer.NewKey();
        }
        foreach (var entry in ServiceCatalog.All)
        {
            settings[$"services:{entry.DiscoveryKey}:http:0"] = baseUrl;
        }
        foreach (var (key, value) in LocalSmsStub.SettingsUnlessConfigured(builder.Configuration, baseUrl))
        {
            settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);

        builder.AddServiceDefaults("ExamReview", ServiceCatalog.All.Select(s => s.CreateModule()).ToArray());
        var smsStub = LocalSmsStub.AddIfRequested(builder);
        var app = builder.Build();
        app.MapServiceEndpoints();
        LocalSmsStub.MapIf(app, smsStub);
        await app.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await Readiness.WaitAsync(http, TimeSpan.FromMinutes(2), app.Lifetime.ApplicationStopping);
        foreach (var entry in ServiceCatalog.All)
        {
            Console.WriteLine($"{entry.Name} {baseUrl}");
        }
        await app.WaitForShutdownAsync();
    }
}

internal static class Readiness
{
    public static async Task WaitAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250, deadline.Token);
        }
    }
}
