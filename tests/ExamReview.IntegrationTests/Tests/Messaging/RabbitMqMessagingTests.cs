using System.Collections.Concurrent;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.IntegrationTests.Tests.Messaging;

/// <summary>
/// The services' messaging set-up (<c>AddPlatformMessaging</c>) on a real RabbitMQ (the collection's container), in a
/// virtual host of the test's own: each service's queue is a durable quorum queue, a message is delivered, and one
/// that keeps failing ends in the queue's <c>_error</c> queue after its retries instead of blocking the others.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RabbitMqMessagingTests(ServerContainers servers)
{
    [Fact]
    public async Task A_service_queue_is_a_quorum_queue_and_a_message_that_keeps_failing_moves_to_its_error_queue()
    {
        var virtualHost = "er-messaging-" + Guid.NewGuid().ToString("N")[..8];
        var address = await servers.RabbitMq.CreateVirtualHostAsync(virtualHost);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:rabbitmq"] = address.ToString();
        builder.Configuration["Messaging:RetryLimit"] = "2";
        var received = new ConcurrentBag<string>();
        builder.Services.AddSingleton(received);
        builder.AddPlatformMessaging([new ProbeModule()]);
        await using var app = builder.Build();
        await app.StartAsync();
        try
        {
            var bus = app.Services.GetRequiredService<IBus>();
            await bus.Publish(new ProbeSent("poison"));
            await bus.Publish(new ProbeSent("fine"));

            await Eventually.TrueAsync(() => Task.FromResult(received.Contains("fine")), "the good message to be consumed");
            // The error queue is declared with the first fault; its message count follows once the move is confirmed.
            var queues = await Eventually.GetAsync(async () =>
            {
                var rows = Rows(await servers.RabbitMq.ControlAsync("list_queues", "-p", virtualHost, "name", "type", "messages"));
                return rows.TryGetValue($"{ProbeModule.Queue}_error", out var error) && error[2] == "1" ? rows : null;
            }, "the poison message in the error queue");

            Assert.Equal("quorum", queues[ProbeModule.Queue][1]);
            // First try plus two retries, all in process, then the error queue.
            Assert.Equal(3, received.Count(m => m == "poison"));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>rabbitmqctl's tab-separated rows by queue name.</summary>
    private static Dictionary<string, string[]> Rows(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries)).Where(row => row.Length == 3).ToDictionary(row => row[0]);

    private sealed class ProbeModule : ServiceModule
    {
        public const string Queue = "examreview-probe";

        public override string Name => "Probe";

        public override string QueueName => Queue;

        protected override IReadOnlyList<Type> Consumers => [typeof(ProbeConsumer)];

        public override void AddServices(WebApplicationBuilder builder)
        {
        }

        public override void MapEndpoints(IEndpointRouteBuilder app)
        {
        }
    }

    private sealed class ProbeConsumer(ConcurrentBag<string> received) : IConsumer<ProbeSent>
    {
        public Task Consume(ConsumeContext<ProbeSent> context)
        {
            received.Add(context.Message.Text);
            return context.Message.Text == "poison" ? throw new InvalidOperationException("poison") : Task.CompletedTask;
        }
    }
}

public sealed record ProbeSent(string Text);
