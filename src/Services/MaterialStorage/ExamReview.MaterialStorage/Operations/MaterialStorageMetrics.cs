using System.Diagnostics.Metrics;

namespace ExamReview.MaterialStorage.Operations;

/// <summary>
/// The service's instruments (meter "ExamReview.MaterialStorage", exported with the platform's "ExamReview.*" meters).
/// <c>examreview.materials.verdict_failed_after_approval</c> is an alert: every increment is an image with a ✓ (locked for
/// good) whose check failed or found malware afterwards, which needs an operator; the validation ops endpoint
/// (<see cref="Api.ValidationBacklogApi"/>) counts them from the database too, across replicas and restarts.
/// </summary>
public sealed class MaterialStorageMetrics : IDisposable
{
    public const string MeterName = "ExamReview.MaterialStorage";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _failedAfterApproval;

    public MaterialStorageMetrics()
    {
        _failedAfterApproval = _meter.CreateCounter<long>("examreview.materials.verdict_failed_after_approval",
            description: "Images approved (✓, locked for good) whose check failed or found malware (operator alert).");
    }

    /// <summary>This instance's meter (tests listen to exactly it).</summary>
    public Meter Meter => _meter;

    /// <param name="infected">Whether the failing verdict found malware.</param>
    /// <param name="order">"verdict-after-approval" or "approval-after-verdict": which of the two arrived last.</param>
    public void FailedAfterApproval(bool infected, string order) => _failedAfterApproval.Add(1,
        new KeyValuePair<string, object?>("infected", infected), new KeyValuePair<string, object?>("order", order));

    public void Dispose() => _meter.Dispose();
}
