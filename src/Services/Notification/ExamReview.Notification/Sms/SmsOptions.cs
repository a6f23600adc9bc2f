namespace ExamReview.Notification.Sms;

/// <summary>The SMS provider's HTTP API (Alibaba Cloud SMS, RPC style). Without an endpoint, SMS are only logged.</summary>
public sealed class SmsProviderOptions
{
    public const string Section = "Sms:Provider";

    /// <summary>e.g. https://dysmsapi.aliyuncs.com/ ; the embedded run points it at its local stub.</summary>
    public string? Endpoint { get; set; }

    public string? AccessKeyId { get; set; }
    public string? AccessKeySecret { get; set; }
    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>Longest wait for one provider call before it counts as failed (outcome unknown).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Retries with jitter inside one dispatch attempt, and the circuit breaker shared by all calls.</summary>
public sealed class SmsResilienceOptions
{
    public const string Section = "Sms:Resilience";

    public int Retries { get; set; } = 2;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public double BreakerFailureRatio { get; set; } = 0.5;
    public int BreakerMinimumThroughput { get; set; } = 4;
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How the dispatcher paces messages: attempts, back-off between them, leases and delivery reports.</summary>
public sealed class SmsDispatchOptions
{
    public const string Section = "Sms:Dispatch";

    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// Dispatch attempts (each with its own in-call retries) before a message is Failed and alerts operators. Calls
    /// refused by the open circuit are not attempts; with the defaults a message keeps trying for about an hour.
    /// </summary>
    public int MaxAttempts { get; set; } = 12;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest sleep of an idle dispatcher: new messages wake it at once, so the poll only catches retries and
    /// delivery reports that came due. Never longer than the first retry or receipt interval, so those stay on time.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal TimeSpan IdlePollCeiling => Min(IdlePollInterval, Min(FirstRetryDelay, ReceiptInterval));

    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First look for the delivery report after sending, then every <see cref="ReceiptInterval"/>.</summary>
    public TimeSpan ReceiptDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReceiptInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without a report the delivery is Unknown (carriers report within 72 h at worst).</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromHours(72);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>Per mobile number: at most this many SMS per minute and per day (rolling windows). Extra ones wait.</summary>
public sealed class SmsRateLimitOptions
{
    public const string Section = "Sms:RateLimit";

    public int PerMinute { get; set; } = 2;
    public int PerDay { get; set; } = 10;
}
