namespace ExamReview.Notification.Webhooks;

/// <summary>How the webhook dispatcher paces deliveries (<c>Webhooks:Dispatch</c>); tests compress the schedule.</summary>
public sealed class WebhookDispatchOptions
{
    public const string Section = "Webhooks:Dispatch";

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a delivery keeps being retried before it is Failed (and waits for a replay).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Each delay is spread by ± this fraction, so deliveries that failed together do not retry together.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Longest wait for one receiver's answer (the HTTP client's resilience timeout).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once, across all endpoints (each to a different candidate's queue head).</summary>
    public int MaxConcurrency { get; set; } = 8;

    public int BatchSize { get; set; } = 50;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest sleep of an idle dispatcher: recorded deliveries wake it at once, so the poll only catches retries
    /// that came due; never longer than the first retry delay, so those stay on time.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal TimeSpan IdlePollCeiling => IdlePollInterval < FirstRetryDelay ? IdlePollInterval : FirstRetryDelay;

    /// <summary>A claimed delivery is another dispatcher's again after this long (the process died mid-attempt).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public WebhookRetrySchedule Schedule => new(FirstRetryDelay, MaxRetryDelay, RetryFor, Jitter);
}
