using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// Issue 15 item 1, distributed half: the Aspire AppHost's model, built and not started. By default no service runs the
/// development token issuer; asking for it beside a configured signing key stops the AppHost.
/// </summary>
public sealed class AppHostIssuerTests
{
    private static readonly string[] Servers =
    [
        "--Infrastructure=connection-strings",
        "--ConnectionStrings:postgres=Host=127.0.0.1;Port=1;Username=nobody;Password=none",
        "--ConnectionStrings:rabbitmq=amqp://nobody:none@127.0.0.1:1/",
        "--ConnectionStrings:objectstore=Endpoint=http://127.0.0.1:1;AccessKey=nobody;SecretKey=none;Region=us-east-1",
        "--ClamAv:Endpoint=tcp://127.0.0.1:1",
        "--Dashboard:Enabled=false",
    ];

    [Fact]
    public async Task By_default_no_service_of_the_distributed_run_has_a_development_issuer()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ExamReview_AppHost>(Servers);
        string[] names = ["registration", "materialstorage", "imagevalidation", "reviewworkflow", "notification"];
        var services = appHost.Resources.OfType<ProjectResource>().Where(r => names.Contains(r.Name)).ToList();
        Assert.Equal(names.Length, services.Count);
        foreach (var service in services)
        {
            var environment = await EnvironmentOf(service);
            Assert.Equal("false", environment["Auth__DevTokens__Enabled"]?.ToString());
        }
    }

    // The environment a run would give the resource: its environment callbacks evaluated as the run does.
    private static async Task<Dictionary<string, object>> EnvironmentOf(IResource resource)
    {
        var environment = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, environment);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return environment;
    }

    [Fact]
    public async Task Asking_for_the_development_issuer_beside_a_configured_signing_key_stops_the_apphost()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ExamReview_AppHost>(
                [.. Servers, "--Auth:DevTokens:Enabled=true", $"--Parameters:signing-key={key}"]);
        });
        Assert.Contains("never signs with real keys", refused.ToString(), StringComparison.Ordinal);
    }
}
