namespace ExamReview.Notification.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its turn (an earlier event of the same candidate), its next attempt, or a disabled endpoint.</summary>
    Pending = 0,
    Delivered = 1,

    /// <summary>Still refused when the retry window ended; a province or an operator can replay it.</summary>
    Failed = 2,
}

/// <summary>
/// One event for one endpoint: the signed body is fixed when the event is recorded, so every attempt and every replay
/// sends the same bytes under the same <c>webhook-id</c> (receivers deduplicate on it). <see cref="Sequence"/> numbers
/// the endpoint's events per candidate; a delivery goes out only when every earlier one of its candidate has been
/// delivered or given up (see <see cref="WebhookDeliveryQueue"/>).
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid EndpointId { get; set; }
    public string AreaCode { get; set; } = "";
    public Guid CandidateId { get; set; }
    public long Sequence { get; set; }
    public Guid SourceMessageId { get; set; }
    public string EventType { get; set; } = "";
    public string Payload { get; set; } = "";
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Start of the current retry window: the first attempt since it was recorded or replayed (null before). Time spent
    /// waiting behind an earlier event of the same candidate does not use up a delivery's window.
    /// </summary>
    public DateTimeOffset? RetryFrom { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public int Replays { get; set; }

    public List<WebhookAttempt> AttemptLog { get; set; } = [];

    /// <summary>The <c>webhook-id</c> header: stable across attempts and replays.</summary>
    public string WebhookId => "msg_" + Id.ToString("N");

    public void Succeeded(DateTimeOffset startedAt, TimeSpan duration, int statusCode)
    {
        Record(startedAt, duration, statusCode, null);
        Status = WebhookDeliveryStatus.Delivered;
        DeliveredAt = startedAt + duration;
        LastError = null;
        LeaseUntil = null;
    }

    /// <summary>A refused or failed attempt: the next one follows the schedule, or the delivery fails once the window is over.</summary>
    public void AttemptFailed(DateTimeOffset startedAt, TimeSpan duration, int? statusCode, string error, WebhookRetrySchedule schedule, double random)
    {
        Record(startedAt, duration, statusCode, error);
        LastError = error;
        LeaseUntil = null;
        var now = startedAt + duration;
        if (schedule.GivesUp(RetryFrom ?? startedAt, now))
        {
            Status = WebhookDeliveryStatus.Failed;
            FailedAt = now;
            return;
        }
        NextAttemptAt = now + schedule.DelayAfter(Attempts, random);
    }

    /// <summary>
    /// Sends it again with the same id and body, with a fresh retry window. It keeps its place: a later event of the same
    /// candidate that is still pending waits for it again.
    /// </summary>
    public void Replay(DateTimeOffset now)
    {
        Status = WebhookDeliveryStatus.Pending;
        RetryFrom = null;
        NextAttemptAt = now;
        FailedAt = null;
        LeaseUntil = null;
        Replays++;
    }

    private void Record(DateTimeOffset startedAt, TimeSpan duration, int? statusCode, string? error)
    {
        Attempts++;
        RetryFrom ??= startedAt;
        LastAttemptAt = startedAt;
        LastStatusCode = statusCode;
        AttemptLog.Add(new WebhookAttempt
        {
            Id = Guid.CreateVersion7(),
            DeliveryId = Id,
            Number = Attempts,
            StartedAt = startedAt,
            DurationMs = (int)Math.Min(int.MaxValue, Math.Round(duration.TotalMilliseconds)),
            StatusCode = statusCode,
            Error = error,
        });
    }
}

/// <summary>One HTTP attempt of a delivery, as the province reads it in the delivery log.</summary>
public sealed class WebhookAttempt
{
    public const int MaxError = 500;

    public Guid Id { get; set; }
    public Guid DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int DurationMs { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// Exponential back-off with jitter: <c>first × 2^(n−1)</c>, capped at <c>max</c>, each delay spread by ±<c>jitter</c>;
/// attempts go on until <c>retryFor</c> has passed since the window started (at least 24 h by default), so a receiver
/// that is down for an hour — or a night — loses nothing.
/// </summary>
public sealed record WebhookRetrySchedule(TimeSpan First, TimeSpan Max, TimeSpan RetryFor, double Jitter)
{
    /// <param name="attempts">Attempts made so far (≥ 1).</param>
    /// <param name="random">A number in [0, 1): 0.5 is the middle of the jitter band.</param>
    public TimeSpan DelayAfter(int attempts, double random)
    {
        var exponent = Math.Min(Math.Max(0, attempts - 1), 40);
        var exponential = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        var spread = 1 + (Jitter * ((2 * random) - 1));
        return TimeSpan.FromMilliseconds(exponential * spread);
    }

    public bool GivesUp(DateTimeOffset windowStart, DateTimeOffset now) => now - windowStart >= RetryFor;
}
