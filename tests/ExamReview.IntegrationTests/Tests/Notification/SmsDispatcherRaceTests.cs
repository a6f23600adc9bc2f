using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using ExamReview.SmsProviderStub;
using ExamReview.UnitTests.Notification;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Notification's dispatcher scaled out, forced into the race: two dispatchers (as two replicas would run) over one
/// PostgreSQL database keep each number's rate limit, because the check and the in-flight mark commit under a
/// per-number advisory lock; and they record each carrier report once, because a receipt check claims its row with the
/// same lease a send does. <see cref="SmsReplicaTests"/> runs the rate limit through the AppHost with two real replicas.
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

    [Fact]
    public async Task Two_dispatchers_checking_receipts_together_record_and_report_each_carrier_failure_once()
    {
        // Noon in Beijing: the provider is asked about one send date only.
        var clock = new ManualClock(new DateTimeOffset(2027, 3, 1, 4, 0, 0, TimeSpan.Zero));
        await using var rig = await SmsTestRig.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:Dispatch:ReceiptDelay"] = "00:05:00",
        }, clock, postgres.ConnectionString);
        var replica = rig.StartReplicaWorker();
        var candidates = Enumerable.Range(0, 4).Select(_ => (Id: Guid.NewGuid(), Mobile: NotificationScenario.NewMobile())).ToList();
        foreach (var (id, mobile) in candidates)
        {
            await rig.AddContactAsync(id, mobile);
        }
        rig.Stub.Behaviour = new StubBehaviour { UndeliverableNumbers = [.. candidates.Select(c => c.Mobile)] };
        foreach (var (id, _) in candidates)
        {
            await rig.PublishAsync(new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), id, "43"), NewId.NextGuid());
        }
        await rig.RunWorkerOnceAsync(); // sends all four; no report is due for five minutes
        foreach (var (id, _) in candidates)
        {
            Assert.Equal((SmsStatus.Sent, SmsDeliveryState.Pending), (await rig.SmsForAsync(id)).Select(m => (m.Status, m.Delivery)).Single());
        }

        clock.Advance(TimeSpan.FromMinutes(6));
        // A slow provider: each report is still being fetched while the other dispatcher looks at the same due rows.
        rig.Stub.Behaviour = rig.Stub.Behaviour with { DelayMilliseconds = 300 };
        var queriesBefore = rig.Stub.QueryCalls;
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(rig.RunWorkerOnceAsync(), replica.RunOnceAsync(CancellationToken.None));
        }

        var ids = new List<Guid>();
        foreach (var (id, _) in candidates)
        {
            var sms = Assert.Single(await rig.SmsForAsync(id));
            Assert.Equal((SmsDeliveryState.Undelivered, "MOBILE_NOT_ON_SERVICE"), (sms.Delivery, sms.DeliveryError));
            Assert.Null(sms.LeaseUntil);
            ids.Add(sms.Id);
        }
        // One NotificationFailed per SMS in the outbox, one alert each, and the provider asked once per SMS.
        var failed = await rig.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.MessageType == typeof(NotificationFailed).FullName).Select(m => m.Body).ToListAsync());
        Assert.Equal(candidates.Count, failed.Count);
        Assert.All(ids, id => Assert.Single(failed, body => body.Contains(id.ToString(), StringComparison.Ordinal)));
        Assert.Equal(candidates.Count, rig.FailedAlerts);
        Assert.Equal(candidates.Count, rig.Stub.QueryCalls - queriesBefore);
    }
}
