namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the outbox relays right after a commit so messages leave in milliseconds, not at the next poll. Every
/// relay subscribes with a wake-up of its own and a commit wakes them all: one process can host several services
/// (the embedded run hosts five relays), and a single shared wake-up would rouse only one of them while the
/// others slept until their poll interval.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Lock _gate = new();
    private SemaphoreSlim[] _subscribers = [];

    /// <summary>A wake-up for one relay; <see cref="Notify"/> releases it (at most one pending wake-up is kept).</summary>
    public Subscription Subscribe()
    {
        var wake = new SemaphoreSlim(0, int.MaxValue);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, wake];
        }
        return new Subscription(wake);
    }

    /// <summary>Something was committed to an outbox: every relay looks now.</summary>
    public void Notify()
    {
        foreach (var wake in Volatile.Read(ref _subscribers))
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
    }

    public sealed class Subscription(SemaphoreSlim wake)
    {
        /// <summary>Waits until the next <see cref="Notify"/> (or one that came since the last wait), or the timeout.</summary>
        public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);
    }
}
