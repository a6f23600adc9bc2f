using ExamReview.Notification.Webhooks;

namespace ExamReview.UnitTests.Notification;

/// <summary>The retry schedule: exponential with a cap, jittered within its band, and long enough (≥ 24 h) by default.</summary>
public sealed class WebhookRetryScheduleTests
{
    private static readonly WebhookRetrySchedule Defaults = new WebhookDispatchOptions().Schedule;

    [Fact]
    public void Delays_double_from_the_first_up_to_the_cap()
    {
        var schedule = new WebhookRetrySchedule(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), Jitter: 0);

        Assert.Equal(
            [10, 20, 40, 80, 160, 300, 300],
            Enumerable.Range(1, 7).Select(n => schedule.DelayAfter(n, 0.5).TotalSeconds));
    }

    [Fact]
    public void Jitter_spreads_each_delay_within_its_band()
    {
        var schedule = new WebhookRetrySchedule(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromHours(24), Jitter: 0.2);

        Assert.Equal(8, schedule.DelayAfter(1, 0).TotalSeconds, 3);
        Assert.Equal(10, schedule.DelayAfter(1, 0.5).TotalSeconds, 3);
        Assert.Equal(12, schedule.DelayAfter(1, 0.999999).TotalSeconds, 3);
        var random = new Random(14);
        var delays = Enumerable.Range(0, 200).Select(_ => schedule.DelayAfter(3, random.NextDouble()).TotalSeconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 32, 48));
        Assert.True(delays.Distinct().Count() > 100, "jittered delays differ");
    }

    [Fact]
    public void A_delivery_that_always_fails_is_retried_for_at_least_24_hours_then_fails()
    {
        var start = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
        var delivery = NewDelivery(start);
        var random = new Random(7);
        var now = start;
        while (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            now = delivery.NextAttemptAt;
            delivery.AttemptFailed(now, TimeSpan.FromSeconds(1), 503, "the receiver answered 503", Defaults, random.NextDouble());
            Assert.True(delivery.Attempts < 100, "the schedule ends");
        }

        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.True(delivery.FailedAt - start >= TimeSpan.FromHours(24), $"failed after {delivery.FailedAt - start}");
        Assert.True(delivery.FailedAt - start < TimeSpan.FromHours(26), $"failed after {delivery.FailedAt - start}");
        var gaps = delivery.AttemptLog.Zip(delivery.AttemptLog.Skip(1), (a, b) => b.StartedAt - a.StartedAt).ToList();
        Assert.All(gaps, g => Assert.True(g <= TimeSpan.FromHours(1.2) + TimeSpan.FromSeconds(1), $"gap {g} beyond the cap"));
    }

    [Fact]
    public void A_receiver_down_for_an_hour_gets_the_delivery_when_it_is_back()
    {
        var start = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
        var delivery = NewDelivery(start);
        var random = new Random(3);
        while (delivery.NextAttemptAt < start.AddHours(1))
        {
            delivery.AttemptFailed(delivery.NextAttemptAt, TimeSpan.FromMilliseconds(10), null, "connection refused", Defaults, random.NextDouble());
        }

        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.True(delivery.NextAttemptAt - start < TimeSpan.FromHours(2.2), "the next attempt comes within about an hour of recovery");
        delivery.Succeeded(delivery.NextAttemptAt, TimeSpan.FromMilliseconds(20), 204);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
    }

    [Fact]
    public void The_window_starts_at_the_first_attempt_and_again_at_a_replay()
    {
        var created = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
        var schedule = new WebhookRetrySchedule(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), 0);
        var delivery = NewDelivery(created);

        // It waited two days behind an earlier event of its candidate: that does not use up its window.
        delivery.AttemptFailed(created.AddDays(2), TimeSpan.Zero, 500, "500", schedule, 0.5);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        delivery.AttemptFailed(created.AddDays(2).AddHours(1), TimeSpan.Zero, 500, "500", schedule, 0.5);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);

        delivery.Replay(created.AddDays(3));
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(1, delivery.Replays);
        delivery.AttemptFailed(created.AddDays(3), TimeSpan.Zero, 500, "500", schedule, 0.5);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(3, delivery.AttemptLog.Count);
    }

    private static WebhookDelivery NewDelivery(DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid(),
        EndpointId = Guid.NewGuid(),
        CandidateId = Guid.NewGuid(),
        Sequence = 1,
        EventType = WebhookEventTypes.Approved,
        Payload = "{}",
        CreatedAt = at,
        NextAttemptAt = at,
    };
}
