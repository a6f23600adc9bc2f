using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using ExamReview.SmsProviderStub;
using ExamReview.UnitTests.Notification;
using MassTransit;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Notification's dispatcher scaled out, forced into the race: two dispatchers (as two replicas would run) over one
/// PostgreSQL database keep each number's rate limit, because the check and the in-flight mark commit under a
/// per-number advisory lock. <see cref="SmsReplicaTests"/> runs the same through the AppHost with two real replicas.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SmsDispatcherRaceTests(PostgresContainer postgres)
{
    [Fact]
    public async Task Two_dispatchers_racing_over_one_database_send_a_number_no_more_than_its_limit()
    {
        var server = postgres.ConnectionString;
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:RateLimit:PerMinute"] = "1",
            ["Sms:RateLimit:PerDay"] = "10",
        }, postgresServer: server);
        // A slow provider: each send is still in flight while the other dispatcher looks at the same number.
        rig.Stub.Behaviour = new StubBehaviour { DelayMilliseconds = 300 };
        var replica = rig.StartReplicaWorker();

        var candidateId = Guid.NewGuid();
        var mobile = NotificationScenario.NewMobile();
        await rig.AddContactAsync(candidateId, mobile);
        for (var i = 0; i < 6; i++)
        {
            await rig.PublishAsync(new ReturnDeadlineApproaching(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43", DateTimeOffset.UtcNow.AddDays(1)), NewId.NextGuid());
        }

        // Both dispatchers pass over the queue at the same moment, again and again within the minute.
        for (var round = 0; round < 4; round++)
        {
            await Task.WhenAll(rig.RunWorkerOnceAsync(), replica.RunOnceAsync(CancellationToken.None));
        }

        Assert.Single(rig.Stub.For(mobile));
        var rows = await rig.SmsForAsync(candidateId);
        Assert.Equal(6, rows.Count);
        Assert.Single(rows, m => m.Status == SmsStatus.Sent);
        var held = rows.Where(m => m.Status == SmsStatus.Queued).ToList();
        Assert.Equal(5, held.Count);
        Assert.All(held, m => Assert.True(m.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(30), "held back until the minute has passed"));
    }
}
