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

    private static void ConfigureEndpoints(IBusFactoryConfigurator cfg, IBusRegistrationContext context, IReadOnlyList<ServiceModule> modules, MessagingOptions options, bool quorum)
    {
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
