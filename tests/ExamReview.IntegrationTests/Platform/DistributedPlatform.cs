using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ExamReview.IntegrationTests.Infrastructure;
using MassTransit;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// The distributed topology through Aspire's own test host: the real AppHost (<c>Projects.ExamReview_AppHost</c>)
/// runs the five service processes and the SMS provider stub against PostgreSQL, RabbitMQ and the S3 server in
/// containers of the collection's own (Testcontainers), given as connection strings (the AppHost's
/// <c>Infrastructure=connection-strings</c>): the tests hold the containers, so the broker-outage test can stop and
/// start RabbitMQ's. Notification runs as two replicas, as it would scaled out: they share its database and queue.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    public const int NotificationReplicas = 2;

    /// <summary>SMS a number may get per minute, set here so the replica test's expectation is the run's (Sms:RateLimit).</summary>
    public const int SmsPerMinute = 2;

    /// <summary>The area whose candidates activate an account and sign in directly here (no other distributed test uses it).</summary>
    public const string PasswordArea = "11";

    public const string PasswordSite = "1101";

    private readonly ServerContainers _servers = new();
    private AspirePlatform? _platform;

    public PlatformClient Client => _platform?.Client ?? throw new InvalidOperationException("Not started.");

    public DistributedApplication App => _platform?.App ?? throw new InvalidOperationException("Not started.");

    public ServerContainers Servers => _servers;

    /// <summary>This run's RabbitMQ address, including its own virtual host.</summary>
    public Uri RabbitConnection => _servers.RabbitMq.Address;

    /// <summary>This run's S3 server, with the bucket MaterialStorage and ImageValidation share as its default.</summary>
    public string ObjectStoreConnection => _servers.S3.ConnectionString(ExamReview.Embedded.ServiceCatalog.MaterialsBucket);

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        _platform = await AspirePlatform.StartAsync(
        [
            "--Infrastructure=connection-strings",
            $"--Infrastructure:DatabasePrefix=er_{Guid.NewGuid().ToString("N")[..10]}",
            $"--ConnectionStrings:postgres={_servers.Postgres}",
            $"--ConnectionStrings:rabbitmq={RabbitConnection}",
            $"--ConnectionStrings:objectstore={ObjectStoreConnection}",
            // The tests sign in through the development issuer, asked for explicitly.
            "--Auth:DevTokens:Enabled=true",
        ], appHost =>
        {
            appHost.CreateResourceBuilder<ProjectResource>("notification")
                .WithReplicas(NotificationReplicas)
                .WithEnvironment("Sms__RateLimit__PerMinute", SmsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Candidates of this area sign in with a password (and a texted code): sessions checked across processes.
            appHost.CreateResourceBuilder<ProjectResource>("registration").WithEnvironment($"Accounts__Areas__{PasswordArea}__Activation", "Password");
        });
    }

    /// <summary>A bus of the test's own on this run's virtual host, to publish as another service would.</summary>
    public IBusControl CreateBus() => Bus.Factory.CreateUsingRabbitMq(cfg =>
        cfg.Host(RabbitConnection.Host, (ushort)RabbitConnection.Port, _servers.RabbitMq.VirtualHost, h =>
        {
            h.Username(RabbitMqServer.User);
            h.Password(RabbitMqServer.Password);
        }));

    public async Task DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
        await _servers.DisposeAsync();
    }
}
