using ExamReview.ConsoleHosting;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Telemetry;

namespace ExamReview.Embedded;

/// <summary>
/// The embedded default (the README's run command): all five service modules in this process on one in-memory
/// bus, SQLite files and a filesystem object store under the data directory, the SMS provider stub beside them.
/// It prints one <c>Service URL</c> line per service once the platform is ready. The distributed topology is the
/// Aspire AppHost's (<c>src/AppHost/ExamReview.AppHost</c>).
/// </summary>
public static class EmbeddedHost
{
    public static async Task RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var port = configuration.GetValue("port", 5100);
        var baseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(baseUrl);
        builder.Configuration.AddInMemoryCollection(DevelopmentSettings(builder.Configuration, configuration, baseUrl));

        builder.AddServiceDefaults("ExamReview", ServiceCatalog.All.Select(s => s.CreateModule()).ToArray());
        var smsStub = LocalSmsStub.AddIfRequested(builder);
        var consoleRoot = ReviewerConsole.FindRoot(builder.Configuration);
        if (consoleRoot is not null)
        {
            builder.Services.AddReviewerConsole(consoleRoot);
        }
        var app = builder.Build();
        // The reviewer console on the same origin (before the platform's middleware: its pages carry their own CSP).
        app.UseReviewerConsole();
        app.MapServiceEndpoints();
        LocalSmsStub.MapIf(app, smsStub);
        await app.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await Readiness.WaitAsync(http, TimeSpan.FromMinutes(2), app.Lifetime.ApplicationStopping);
        if (smsStub)
        {
            Console.WriteLine($"SmsProviderStub {baseUrl}");
        }
        foreach (var entry in ServiceCatalog.All)
        {
            Console.WriteLine($"{entry.Name} {baseUrl}");
        }
        Console.WriteLine(consoleRoot is not null
            ? $"ReviewerConsole {baseUrl}{ReviewerConsole.PathBase}/"
            : "ReviewerConsole not built (npm ci && npm run build in console/ to serve it at /console/)");
        await app.WaitForShutdownAsync();
    }

    /// <summary>
    /// What a developer's one-process run needs and nobody configured: a data directory, keys generated for this run,
    /// every service discovered at this process's address, the SMS stub. The development token issuer is switched on
    /// only when this run generated its own signing key: given real keys, tokens come from the identity provider.
    /// </summary>
    private static Dictionary<string, string?> DevelopmentSettings(IConfiguration configured, IConfiguration commandLine, string baseUrl)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataDirectory"] = commandLine["data-dir"] ?? configured["DataDirectory"] ?? ".data",
        };
        if (string.IsNullOrWhiteSpace(configured["Auth:SigningKeys:0"]) && string.IsNullOrWhiteSpace(configured["Auth:Authority"]))
        {
            settings["Auth:SigningKeys:0"] = DevTokenIssuer.NewKey();
            settings["Auth:DevTokens:Enabled"] = configured["Auth:DevTokens:Enabled"] ?? "true";
        }
        else
        {
            settings["Auth:DevTokens:Enabled"] = "false";
        }
        // A newcomer's machine has no clamd: the one-process run says out loud that it does not scan (ImageValidation
        // refuses to start unscanned otherwise). Given a scanner, it scans.
        if (string.IsNullOrWhiteSpace(configured["ClamAv:Endpoint"]))
        {
            settings["ClamAv:AllowUnscanned"] = configured["ClamAv:AllowUnscanned"] ?? "true";
        }
        // The photo tool signs its pass marks; Registration verifies them with the same key ring.
        if (string.IsNullOrWhiteSpace(configured["ImageValidation:PassMark:CurrentKeyId"]))
        {
            settings["ImageValidation:PassMark:CurrentKeyId"] = "embedded";
            settings["ImageValidation:PassMark:Keys:embedded"] = DevTokenIssuer.NewKey();
        }
        foreach (var entry in ServiceCatalog.All)
        {
            settings[$"services:{entry.DiscoveryKey}:http:0"] = baseUrl;
        }
        foreach (var (key, value) in LocalSmsStub.SettingsUnlessConfigured(configured, baseUrl))
        {
            settings[key] = value;
        }
        return settings;
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
                using var response = await http.GetAsync(HealthPaths.Ready, deadline.Token);
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
