using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using Testcontainers.RabbitMq;

namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>
/// RabbitMQ of a test collection's own, in a container (Testcontainers): the project's image from scripts/images.sh
/// (Debian's RabbitMQ honouring the official image's settings) unless EXAMREVIEW_RABBITMQ_IMAGE names another.
/// Its host port is fixed for the container's life, picked free when it starts: an outage (<see cref="StopAsync"/>,
/// then <see cref="StartAsync"/>) stops and starts the container itself, and the services find the broker back at the
/// address they were given. The queues live in the container's volume, so they survive the outage.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    public const string User = "examreview";
    public const string Password = "examreview";

    /// <summary>What a client sends first ("AMQP", 0, 0-9-1); a broker answers with Connection.Start.</summary>
    private static readonly byte[] AmqpProtocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    private readonly RabbitMqContainer _container;

    private RabbitMqServer(int port, string virtualHost)
    {
        Port = port;
        VirtualHost = virtualHost;
        _container = new RabbitMqBuilder(Environment.GetEnvironmentVariable("EXAMREVIEW_RABBITMQ_IMAGE") ?? "examreview/rabbitmq:3")
            .WithUsername(User)
            .WithPassword(Password)
            // The collection's own virtual host, made at start by the image (no rabbitmqctl round trip).
            .WithEnvironment("RABBITMQ_DEFAULT_VHOST", virtualHost)
            .WithPortBinding(port, RabbitMqBuilder.RabbitMqPort)
            // The module waits for a log line our image does not print (its node logs to files): ask the node itself.
            // Testcontainers runs this again on every start, the outage's restart included.
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted("rabbitmqctl", "-q", "await_startup", "--timeout", "10"))
            .Build();
    }

    public int Port { get; }

    /// <summary>The virtual host the container was created with; its user may use it.</summary>
    public string VirtualHost { get; }

    /// <summary>The broker's address with the collection's virtual host, as services take it (<c>ConnectionStrings:rabbitmq</c>).</summary>
    public Uri Address => AddressOf(VirtualHost);

    public Uri AddressOf(string virtualHost) => new($"amqp://{User}:{Password}@127.0.0.1:{Port}/{Uri.EscapeDataString(virtualHost)}");

    public static async Task<RabbitMqServer> LaunchAsync()
    {
        var server = new RabbitMqServer(FreePorts.FindBase(0), "er-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            await server._container.StartAsync();
            await server.WaitUntilAcceptingAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A virtual host of the caller's own (a test that must not see anyone else's queues).</summary>
    public async Task<Uri> CreateVirtualHostAsync(string name)
    {
        await ControlAsync("add_vhost", name);
        await ControlAsync("set_permissions", "-p", name, User, ".*", ".*", ".*");
        return AddressOf(name);
    }

    /// <summary>The outage: the container stops (the broker goes down with it; its port refuses AMQP).</summary>
    public Task StopAsync() => _container.StopAsync();

    /// <summary>The broker comes back in the same container, on the same host port, with its queues.</summary>
    public async Task StartAsync()
    {
        await _container.StartAsync();
        await WaitUntilAcceptingAsync();
    }

    /// <summary>Until the AMQP listener answers through the published port (the node has booted: the wait strategy).</summary>
    private async Task WaitUntilAcceptingAsync()
    {
        await Eventually.TrueAsync(async () =>
        {
            // Docker's proxy accepts on the host port even while the broker is down: wait for AMQP's own reply.
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync("127.0.0.1", Port);
                var stream = tcp.GetStream();
                await stream.WriteAsync(AmqpProtocolHeader);
                var reply = new byte[1];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                return await stream.ReadAsync(reply, timeout.Token) == 1;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                return false;
            }
        }, "RabbitMQ to accept AMQP connections");
    }

    /// <summary>rabbitmqctl in the broker's container (e.g. <c>list_queues -p vhost name type</c>); its output.</summary>
    public async Task<string> ControlAsync(params string[] arguments)
    {
        var result = await _container.ExecAsync(["rabbitmqctl", "-q", .. arguments]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stdout}{result.Stderr}");
        }
        return result.Stdout;
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
