using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.Messaging;

public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Quorum queues replicate across RabbitMQ nodes; classic durable queues when off.</summary>
    public bool QuorumQueues { get; set; } = true;
    public int RetryLimit { get; set; } = 5;
    public int PrefetchCount { get; set; } = 16;
}

public static class MessagingExtensions
{
    /// <summary>
    /// One bus for the process: RabbitMQ from <c>ConnectionStrings:rabbitmq</c>, or the in-memory transport
    /// when that is absent (embedded run). Each hosted module gets its own durable queue with retries and an
    /// error queue (<c>{queue}_error</c>, MassTransit's default) for messages that keep failing.
    /// </summary>
    public static WebApplicationBuilder AddPlatformMessaging(this WebApplicationBuilder builder, IReadOnlyList<ServiceModule> modules)
    {
        var rabbitConnection = builder.Configuration.GetConnectionString("rabbitmq");
        var options = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        // Without this, a publish during start-up can reach an exchange that no queue is bound to yet.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromMinutes(1);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit reports usage to its vendor by default; a national platform sends nothing out.
            bus.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            foreach (var module in modules)
            {
                module.AddConsumers(bus);
            }
            // Several modules in one process (the embedded run) may list the same per-instance consumer: one registration.
            foreach (var consumer in InstanceConsumers(modules))
            {
                bus.AddConsumer(consumer);
            }

            if (string.IsNullOrWhiteSpace(rabbitConnection))
            {
                bus.UsingInMemory((context, cfg) => ConfigureEndpoints(cfg, context, modules, options, quorum: false));
            }
            else
            {
                var uri = new Uri(rabbitConnection);
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var userInfo = uri.UserInfo.Split(':', 2);
                    var virtualHost = uri.AbsolutePath.Trim('/');
                    cfg.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), string.IsNullOrEmpty(virtualHost) ? "/" : Uri.UnescapeDataString(virtualHost), h =>
                    {
                        if (userInfo.Length == 2)
                        {
                            h.Username(Uri.UnescapeDataString(userInfo[0]));
                            h.Password(Uri.UnescapeDataString(userInfo[1]));
                        }
                        h.PublisherConfirmation = true;
                    });
                    ConfigureEndpoints(cfg, context, modules, options, options.QuorumQueues);
                });
            }
        });
        return builder;
    }

    /// <summary>Starts the outbox relay of a service's DbContext.</summary>
    public static WebApplicationBuilder AddOutboxRelay<TDbContext>(this WebApplicationBuilder builder) where TDbContext : ServiceDbContext
    {
        builder.Services.AddHostedService<OutboxRelay<TDbContext>>();
        return builder;
    }

    /// <summary>The per-instance consumers of the process's modules (<see cref="ServiceModule.InstanceConsumers"/>), each once.</summary>
    private static List<Type> InstanceConsumers(IReadOnlyList<ServiceModule> modules) => [.. modules.SelectMany(m => m.InstanceConsumers).Distinct()];

    private static void ConfigureEndpoints(IBusFactoryConfigurator cfg, IBusRegistrationContext context, IReadOnlyList<ServiceModule> modules, MessagingOptions options, bool quorum)
    {
        var instanceConsumers = InstanceConsumers(modules);
        if (instanceConsumers.Count > 0)
        {
            // One temporary queue for this process (a generated name; on RabbitMQ non-durable and auto-deleted, so never a
            // quorum queue), bound to the same exchanges as a durable queue would be: every instance receives every message.
            // No retry policy: the consumers only touch memory, and a message lost anyway is covered by their fallback.
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("instance"), endpoint =>
            {
                foreach (var consumer in instanceConsumers)
                {
                    endpoint.ConfigureConsumer(context, consumer);
                }
            });
        }
        foreach (var module in modules.Where(m => m.HasConsumers))
        {
            cfg.ReceiveEndpoint(module.QueueName, endpoint =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = options.PrefetchCount;
                    if (quorum)
                    {
                        rabbit.SetQuorumQueue();
                    }
                }
                endpoint.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
                module.ConfigureConsumers(endpoint, context);
            });
        }
    }
}
