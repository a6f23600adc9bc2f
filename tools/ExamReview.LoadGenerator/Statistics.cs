using System.Collections.Concurrent;
using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>Percentiles by the nearest-rank method (the same as the platform's own metrics).</summary>
public static class Percentiles
{
    /// <summary>The value at rank ceil(p·n) of the sorted samples; NaN for none.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static (double P50, double P95, double P99, double Max) Summary(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0
            ? (double.NaN, double.NaN, double.NaN, double.NaN)
            : (Of(sorted, 0.50), Of(sorted, 0.95), Of(sorted, 0.99), sorted[^1]);
    }
}

/// <summary>Latencies and statuses per endpoint, and the end-to-end waits, recorded from many threads.</summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    public sealed class Series
    {
        private readonly List<double> _milliseconds = [];
        private readonly Dictionary<int, int> _statuses = [];

        public void Add(double milliseconds, int status)
        {
            lock (_milliseconds)
            {
                if (!IsError(status)) // a 304 (the caller's copy is current) is an answer like any other
                {
                    _milliseconds.Add(milliseconds);
                }
                _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            }
        }

        public (double[] Ok, Dictionary<int, int> Statuses) Snapshot()
        {
            lock (_milliseconds)
            {
                return ([.. _milliseconds], new Dictionary<int, int>(_statuses));
            }
        }
    }

    /// <summary>
    /// Forgets every sample so far (the warm-up's) and returns how many HTTP answers and errors were forgotten, for
    /// the report to say. A call in flight at that moment is recorded when it ends, in the measured phase.
    /// </summary>
    public (int Answers, int Errors) Reset()
    {
        var answers = 0;
        var errors = 0;
        foreach (var name in _series.Keys)
        {
            if (_series.TryRemove(name, out var series))
            {
                var (_, statuses) = series.Snapshot();
                answers += statuses.Where(s => s.Key != 0 && !IsError(s.Key)).Sum(s => s.Value); // 0: an end-to-end wait, not an answer
                errors += statuses.Where(s => IsError(s.Key)).Sum(s => s.Value);
            }
        }
        return (answers, errors);
    }

    public Series this[string name] => _series.GetOrAdd(name, _ => new Series());

    public void Add(string name, double milliseconds, int status = 0) => this[name].Add(milliseconds, status);

    public int Count(string name) => _series.TryGetValue(name, out var s) ? s.Snapshot().Ok.Length : 0;

    /// <summary>Anything but 2xx, 304 (the caller's copy is current) and 0 (an end-to-end wait, not a call).</summary>
    public static bool IsError(int status) => status is not (>= 200 and < 300 or 304 or 0);

    public IEnumerable<string> Names => _series.Keys.Order(StringComparer.Ordinal);

    /// <summary>One line per series: count, throughput over <paramref name="seconds"/>, p50/p95/p99/max, and non-2xx by status (304 counted as an answer).</summary>
    public string Line(string name, double seconds)
    {
        var (ok, statuses) = this[name].Snapshot();
        var (p50, p95, p99, max) = Percentiles.Summary(ok);
        var errors = string.Join(" ", statuses.Where(s => IsError(s.Key)).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        var notModified = statuses.GetValueOrDefault(304) is > 0 and var n ? $" ({n} of them 304)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"  {name,-34} {ok.Length,7} ok {ok.Length / seconds,8:F1}/s  p50 {p50,8:F1}  p95 {p95,8:F1}  p99 {p99,8:F1}  max {max,8:F1} ms  {(errors.Length == 0 ? "no errors" : "errors " + errors)}{notModified}");
    }
}
