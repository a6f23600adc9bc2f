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

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public Slot Enter()
    {
        _slots.Wait();
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A held slot.</summary>
    public readonly struct Slot : IDisposable
    {
        private readonly SemaphoreSlim? _owner;

        internal Slot(SemaphoreSlim owner) => _owner = owner;

        public void Dispose() => _owner?.Release();
    }
}
