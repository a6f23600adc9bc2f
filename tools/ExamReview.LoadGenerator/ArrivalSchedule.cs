namespace ExamReview.LoadGenerator;

/// <summary>
/// The open-loop schedule of <c>--rate</c>: candidates arrive at fixed intervals whatever the platform answers, so
/// the offered upload rate is the one asked for and latency is measured below, at or above capacity (a closed loop of
/// <c>--concurrency</c> candidates only ever measures the platform saturated: each finished candidate is replaced at
/// once). A candidate uploads <see cref="DocumentsPerCandidate"/> documents on average, so U uploads/s is one
/// arrival every 7.5 / U seconds. When the generator falls behind (a pause of its own), the arrivals it missed start
/// at once rather than being dropped: the offered rate stays honest.
/// </summary>
public sealed class ArrivalSchedule
{
    /// <summary>Seven documents for even candidates and eight for odd ones (the candidate journey).</summary>
    public const double DocumentsPerCandidate = 7.5;

    private readonly double _arrivalsPerSecond;

    public ArrivalSchedule(double uploadsPerSecond)
    {
        if (!(uploadsPerSecond > 0) || double.IsInfinity(uploadsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(uploadsPerSecond), uploadsPerSecond, "--rate must be a positive number of uploads per second");
        }
        _arrivalsPerSecond = uploadsPerSecond / DocumentsPerCandidate;
    }

    /// <summary>The time between two arrivals.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(1 / _arrivalsPerSecond);

    /// <summary>How many candidates should have arrived by <paramref name="elapsed"/> (the first at zero).</summary>
    public long DueBy(TimeSpan elapsed) => elapsed < TimeSpan.Zero ? 0 : (long)Math.Floor(elapsed.TotalSeconds * _arrivalsPerSecond + 1e-9) + 1;

    /// <summary>
    /// When arrival <paramref name="index"/> (from zero) is due: rounded up to the next tick, so that waiting until then
    /// always finds it due (rounded down, the generator would wake a tick early and sleep again for nothing).
    /// </summary>
    public TimeSpan DueAt(long index) => TimeSpan.FromTicks((long)Math.Ceiling(index / _arrivalsPerSecond * TimeSpan.TicksPerSecond));
}
