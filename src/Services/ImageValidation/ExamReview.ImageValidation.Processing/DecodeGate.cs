namespace ExamReview.ImageValidation.Processing;

/// <summary>
/// Bounds how many images are decoded and processed at once, so memory in flight is at most that many times
/// the per-image budget however many requests and messages arrive together; the rest wait for a slot. One gate
/// per process: the DI registration makes one from <see cref="ImageValidationOptions.MaxConcurrentDecodes"/>,
/// tools constructed without one share <see cref="Shared"/>.
/// </summary>
public sealed class DecodeGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    /// <param name="slots">Images in flight at once; 0 or less means one per core.</param>
    public DecodeGate(int slots)
    {
        Slots = slots > 0 ? slots : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(Slots, Slots);
    }

    /// <summary>One slot per core.</summary>
    public static DecodeGate Shared { get; } = new(0);

    public int Slots { get; }

    /// <summary>Slots free right now (for tests and diagnostics).</summary>
    public int Available => _slots.CurrentCount;

    // Set on the thread running RunAsync's synchronous work, so the work's own Enter finds its slot already held.
    [ThreadStatic]
    private static DecodeGate? t_heldBy;

    /// <summary>
    /// Waits for a slot, blocking this thread; dispose the result to give it back. Inside <see cref="RunAsync{T}"/>
    /// the slot is already held and this returns at once. For tools and benchmarks; services use RunAsync.
    /// </summary>
    public Slot Enter()
    {
        if (ReferenceEquals(t_heldBy, this))
        {
            return default;
        }
        _slots.Wait();
        return new Slot(_slots);
    }

    /// <summary>
    /// Waits for a slot without holding a thread, then runs <paramref name="work"/> (synchronous image work, whose own
    /// <see cref="Enter"/> finds the slot held) and gives the slot back. Message consumers and request handlers come
    /// through here: with sixteen messages prefetched and two slots, fourteen consumers blocked in <see cref="Enter"/>
    /// held fourteen pool threads, and every other continuation of the process (HTTP, the database, the broker) could
    /// wait for the thread pool to grow. (Measured in issue 19's open-loop runs, the tail latency did not move beyond
    /// run-to-run noise: the waits there were CPU contention. A thread parked on a semaphore is still a thread wasted.)
    /// </summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var outer = t_heldBy; // the slot was free and this runs on the caller's thread, which may be inside another gate's work
        try
        {
            t_heldBy = this;
            return work();
        }
        finally
        {
            t_heldBy = outer;
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A held slot.</summary>
    public readonly struct Slot : IDisposable
    {
        private readonly SemaphoreSlim? _owner;

        internal Slot(SemaphoreSlim owner) => _owner = owner;

        /// <summary>Gives the slot back (nothing for the slot <see cref="RunAsync{T}"/> already held).</summary>
        public void Dispose() => _owner?.Release();
    }
}
