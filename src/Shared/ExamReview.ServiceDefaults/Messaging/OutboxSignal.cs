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
        var subscription = new Subscription(this);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription.Wake];
        }
        return subscription;
    }

    private void Unsubscribe(SemaphoreSlim wake)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(subscriber => subscriber != wake)];
        }
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

    /// <summary>One relay's wake-up; disposing it (when the relay is disposed) stops the signal from waking it.</summary>
    public sealed class Subscription(OutboxSignal signal) : IDisposable
    {
        internal SemaphoreSlim Wake { get; } = new(0, int.MaxValue);

        /// <summary>Waits until the next <see cref="Notify"/> (or one that came since the last wait), or the timeout; true when woken.</summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => Wake.WaitAsync(timeout, cancellationToken);

        public void Dispose()
        {
            signal.Unsubscribe(Wake);
            Wake.Dispose();
        }
    }
}
