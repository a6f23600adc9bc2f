using System.Diagnostics.Metrics;

namespace ExamReview.Notification.Sms;

/// <summary>
/// The service's instruments (meter "ExamReview.Notification", exported with the platform's "ExamReview.*" meters).
/// <c>examreview.notification.sms.failed</c> is the alert: every increment is a message that needs an operator.
/// </summary>
public sealed class NotificationMetrics : IDisposable
{
    public const string MeterName = "ExamReview.Notification";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _sent;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _attemptFailures;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _circuitOpened;
    private readonly Counter<long> _recoveredAfterUnknownOutcome;
    private int _circuitOpen;

    public NotificationMetrics()
    {
        _sent = _meter.CreateCounter<long>("examreview.notification.sms.sent", description: "SMS accepted by the provider.");
        _delivered = _meter.CreateCounter<long>("examreview.notification.sms.delivered", description: "SMS the carrier reported delivered.");
        _failed = _meter.CreateCounter<long>("examreview.notification.sms.failed", description: "SMS that could not be delivered after their retries (operator alert).");
        _attemptFailures = _meter.CreateCounter<long>("examreview.notification.sms.attempt_failures", description: "Dispatch attempts that failed and will be retried.");
        _rateLimited = _meter.CreateCounter<long>("examreview.notification.sms.rate_limited", description: "SMS held back by a per-number rate limit.");
        _circuitOpened = _meter.CreateCounter<long>("examreview.notification.sms.circuit_opened", description: "Times the provider's circuit breaker opened.");
        _recoveredAfterUnknownOutcome = _meter.CreateCounter<long>("examreview.notification.sms.found_at_provider",
            description: "SMS whose earlier attempt had an unknown outcome and that the provider already had (not sent again).");
        _meter.CreateObservableGauge("examreview.notification.sms.circuit_open", () => Volatile.Read(ref _circuitOpen), description: "1 while the provider's circuit is open.");
    }

    /// <summary>This instance's meter (tests listen to exactly it).</summary>
    public Meter Meter => _meter;

    public void Sent(string template) => _sent.Add(1, new KeyValuePair<string, object?>("template", template));

    public void Delivered(string template) => _delivered.Add(1, new KeyValuePair<string, object?>("template", template));

    public void Failed(string template, string reason) =>
        _failed.Add(1, new KeyValuePair<string, object?>("template", template), new KeyValuePair<string, object?>("reason", reason));

    public void AttemptFailed(string template) => _attemptFailures.Add(1, new KeyValuePair<string, object?>("template", template));

    public void RateLimited(string window) => _rateLimited.Add(1, new KeyValuePair<string, object?>("window", window));

    public void FoundAtProvider() => _recoveredAfterUnknownOutcome.Add(1);

    public void CircuitOpened()
    {
        Volatile.Write(ref _circuitOpen, 1);
        _circuitOpened.Add(1);
    }

    public void CircuitClosed() => Volatile.Write(ref _circuitOpen, 0);

    public void Dispose() => _meter.Dispose();
}
