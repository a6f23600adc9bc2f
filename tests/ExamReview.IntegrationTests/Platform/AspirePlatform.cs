using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// The real Aspire AppHost (<c>Projects.ExamReview_AppHost</c>) started through Aspire.Hosting.Testing with the given
/// AppHost arguments; ready once every service resource reports healthy. Its client knows each service's address.
/// </summary>
public sealed class AspirePlatform : IAsyncDisposable
{
    /// <summary>Aspire resource names by the service names the tests use.</summary>
    private static readonly Dictionary<string, string> Resources = new(StringComparer.Ordinal)
    {
        ["Registration"] = "registration",
        ["MaterialStorage"] = "materialstorage",
        ["ImageValidation"] = "imagevalidation",
        ["ReviewWorkflow"] = "reviewworkflow",
        ["Notification"] = "notification",
        ["SmsProviderStub"] = "smsproviderstub",
    };

    private AspirePlatform(DistributedApplication app, PlatformClient client)
    {
        App = app;
        Client = client;
    }

    public DistributedApplication App { get; }

    public PlatformClient Client { get; }

    /// <param name="configure">Changes to the AppHost's model before it runs (e.g. replicas of a service).</param>
    public static async Task<AspirePlatform> StartAsync(string[] arguments, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ExamReview_AppHost>(arguments);
        configure?.Invoke(appHost);
        // The processes' output (Aspire forwards it to the test host's loggers) is kept for reading a failure back.
        appHost.Services.AddSingleton<ILoggerProvider, ResourceLogFile>();
        var app = await appHost.BuildAsync();
        try
        {
            using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await app.StartAsync(startup.Token);
            var services = new Dictionary<string, Uri>(StringComparer.Ordinal);
            foreach (var (service, resource) in Resources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, startup.Token);
                services[service] = new Uri(app.GetEndpoint(resource, "http").ToString().TrimEnd('/'));
            }
            return new AspirePlatform(app, new PlatformClient(services));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
