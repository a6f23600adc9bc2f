using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using MassTransit;

namespace ExamReview.IntegrationTests.Tests;

[Collection(DistributedCollection.Name)]
public sealed class DuplicateDeliveryTests(DistributedPlatform platform)
{
    [Fact]
    public async Task A_message_delivered_twice_changes_state_once_and_sends_one_sms()
    {
        var client = platform.Client;
        var (candidateId, candidate) = await client.NewCandidateAsync();
        var @operator = await client.OperatorTokenAsync();

        var bus = platform.CreateBus();
        await bus.StartAsync();
        try
        {
            var duplicateId = NewId.NextGuid();
            var approved = new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43");
            await bus.Publish(approved, ctx => ctx.MessageId = duplicateId);
            await bus.Publish(approved, ctx => ctx.MessageId = duplicateId);

            await Eventually.TrueAsync(async () => (await client.SmsForAsync(candidateId, @operator)).Count >= 1, "the first SMS");
            // A later, distinct event proves the queue moved past both copies.
            await bus.Publish(new ApplicationRejected(approved.CaseId, approved.ApplicationId, candidateId, "43", "marker"), ctx => ctx.MessageId = NewId.NextGuid());
            await Eventually.TrueAsync(async () => (await client.SmsForAsync(candidateId, @operator)).Count >= 2, "the marker SMS");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await bus.StopAsync();
        }

        var sms = await client.SmsForAsync(candidateId, @operator);
        Assert.Equal(2, sms.Count);
        Assert.Single(sms, m => m!["template"]!.GetValue<string>() == "review-approved");
        Assert.Single(sms, m => m!["template"]!.GetValue<string>() == "review-rejected");
        // Notification's own events (NotificationSent) leave its outbox once the relay has had the broker's confirm.
        await Eventually.TrueAsync(async () =>
            (await client.GetJsonAsync("Notification", "/api/v1/notifications/ops/outbox", @operator))["pending"]!.GetValue<int>() == 0,
            "Notification's outbox to drain");
    }
}
