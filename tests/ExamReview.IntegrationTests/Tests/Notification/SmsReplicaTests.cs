using System.Globalization;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Notification scaled out for real: the AppHost runs it as two replicas (Aspire's <c>WithReplicas</c>) over one
/// database and one queue, on the collection's PostgreSQL and RabbitMQ containers. A burst of events for one
/// candidate is shared between them, and the number still gets no more SMS a minute than its limit.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class SmsReplicaTests(DistributedPlatform platform)
{
    [Fact]
    public async Task Two_notification_replicas_sharing_a_burst_send_a_number_no_more_than_its_limit()
    {
        await BothReplicasRunningAsync();
        var client = platform.Client;
        var @operator = await client.OperatorTokenAsync();
        var candidateId = Guid.NewGuid();
        var candidate = await client.CandidateTokenAsync(candidateId);
        var mobile = NotificationScenario.NewMobile();
        using (var response = await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", candidate,
            System.Net.Http.Json.JsonContent.Create(PlatformClient.RegistrationBody(mobile: mobile))))
        {
            await PlatformClient.EnsureAsync(response, System.Net.HttpStatusCode.Created);
        }

        // A slow provider keeps each send in flight while the other replica looks at the same number.
        await NotificationScenario.SetStubBehaviourAsync(client, @operator, new { delayMilliseconds = 300 });
        var bus = platform.CreateBus();
        await bus.StartAsync();
        try
        {
            for (var i = 0; i < Burst; i++)
            {
                await bus.Publish(new ReturnDeadlineApproaching(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43", DateTimeOffset.UtcNow.AddDays(1)),
                    ctx => ctx.MessageId = NewId.NextGuid());
            }
            var rows = await Eventually.GetAsync(async () =>
            {
                var list = await client.SmsForAsync(candidateId, @operator);
                return list.Count == Burst && Count(list, "Sent") == DistributedPlatform.SmsPerMinute ? list : null;
            }, $"{Burst} SMS rows, {DistributedPlatform.SmsPerMinute} of them sent");
            // Long enough for a replica that ignored the limit to have sent one more.
            await Task.Delay(TimeSpan.FromSeconds(2));
            rows = await client.SmsForAsync(candidateId, @operator);

            Assert.Equal(DistributedPlatform.SmsPerMinute, (await NotificationScenario.StubMessagesAsync(client, @operator, mobile)).Count);
            Assert.Equal(DistributedPlatform.SmsPerMinute, Count(rows, "Sent"));
            var held = rows.Where(m => m!["status"]!.GetValue<string>() == "Queued").ToList();
            Assert.Equal(Burst - DistributedPlatform.SmsPerMinute, held.Count);
            Assert.All(held, m => Assert.True(m!["nextAttemptAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow, "held back until the minute has passed"));
        }
        finally
        {
            await bus.StopAsync();
            await NotificationScenario.SetStubBehaviourAsync(client, @operator, new { delayMilliseconds = 0 });
        }
    }

    private const int Burst = 6;

    private static int Count(JsonArray rows, string status) => rows.Count(m => m!["status"]!.GetValue<string>() == status);

    /// <summary>Both instances of the one resource run (not one process twice counted); says what each was doing if not.</summary>
    private async Task BothReplicasRunningAsync()
    {
        var states = new Dictionary<string, string?>(StringComparer.Ordinal);
        // Two minutes: the second replica starts beside the first on a 2-core machine, each migrating and connecting.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await foreach (var update in platform.App.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (update.Resource.Name == "notification")
                {
                    states[update.ResourceId] = update.Snapshot.State?.Text;
                }
                if (states.Values.Count(s => s == KnownResourceStates.Running) == DistributedPlatform.NotificationReplicas)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }
        var report = new System.Text.StringBuilder();
        foreach (var (replica, state) in states.Where(s => s.Value != KnownResourceStates.Running))
        {
            report.Append(CultureInfo.InvariantCulture, $"\n--- {replica} ({state}), its last lines:\n").AppendJoin('\n', await LastLinesAsync(replica, 40));
        }
        Assert.Fail($"Expected {DistributedPlatform.NotificationReplicas} notification replicas running; saw {string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"))}.{report}");
    }

    /// <summary>What a replica printed last (a replica that exited says why here, and nowhere else the test can read).</summary>
    private async Task<IEnumerable<string>> LastLinesAsync(string resourceId, int count)
    {
        var lines = new Queue<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var logs = platform.App.Services.GetRequiredService<ResourceLoggerService>();
            await foreach (var batch in logs.GetAllAsync(resourceId).WithCancellation(timeout.Token))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    if (lines.Count > count)
                    {
                        lines.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            lines.Enqueue("(the log did not complete within 10 s)");
        }
        return lines;
    }
}
