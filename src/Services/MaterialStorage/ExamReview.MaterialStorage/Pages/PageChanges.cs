namespace ExamReview.MaterialStorage.Pages;

/// <summary>
/// Wakes the candidate pages held open (a long poll: <c>Prefer: wait</c>) when something they show may have changed.
/// The database says what changed, after it committed: on PostgreSQL every instance hears its NOTIFY
/// (<see cref="PostgreSqlPageChangeListener"/>), on SQLite, the one process, the committing context tells it
/// (<see cref="SqlitePageChangeInterceptor"/>). A wake-up is only a hint: the waiter reads the page's stamp again and
/// answers only when that changed, so a spurious wake costs one small query and a lost one at most the wait.
/// </summary>
public sealed class PageChanges
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Waiters> watches = [];

    /// <summary>How many requests wait at this moment (each holds a request, no database connection).</summary>
    public int Waiting { get; private set; }

    /// <summary>
    /// Starts watching one candidate's page. Take it before reading the page's stamp, so a change committed between
    /// the read and the wait still wakes it.
    /// </summary>
    public PageWatch Watch(Guid candidateId)
    {
        lock (gate)
        {
            if (!watches.TryGetValue(candidateId, out var watch))
            {
                watches[candidateId] = watch = new Waiters();
            }
            watch.Count++;
            Waiting++;
            return new PageWatch(this, candidateId, watch);
        }
    }

    /// <summary>Something on this candidate's page changed (their application, an image, their profile copy).</summary>
    public void Changed(Guid candidateId)
    {
        Waiters? woken;
        lock (gate)
        {
            if (!watches.Remove(candidateId, out woken))
            {
                return;
            }
        }
        woken.Wake();
    }

    /// <summary>Something every page may show changed (a catalog, an area's settings), or changes may have been missed.</summary>
    public void ChangedEverywhere()
    {
        Waiters[] woken;
        lock (gate)
        {
            // Every waiter is in the dictionary, so waking them all needs no second signal to subscribe to.
            woken = [.. watches.Values];
            watches.Clear();
        }
        foreach (var watch in woken)
        {
            watch.Wake();
        }
    }

    internal void Release(Guid candidateId, Waiters watch)
    {
        lock (gate)
        {
            Waiting--;
            if (--watch.Count == 0 && watches.TryGetValue(candidateId, out var current) && current == watch)
            {
                watches.Remove(candidateId);
            }
        }
    }

    /// <summary>The requests waiting on one page, woken together.</summary>
    internal sealed class Waiters
    {
        private readonly TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; set; }

        public Task Changed => changed.Task;

        public void Wake() => changed.TrySetResult();
    }
}

/// <summary>One request's watch on one candidate's page; dispose it when the request stops waiting.</summary>
public sealed class PageWatch : IDisposable
{
    private readonly PageChanges owner;
    private readonly Guid candidateId;
    private readonly PageChanges.Waiters watch;
    private bool released;

    internal PageWatch(PageChanges owner, Guid candidateId, PageChanges.Waiters watch)
    {
        this.owner = owner;
        this.candidateId = candidateId;
        this.watch = watch;
    }

    /// <summary>True when a change was signalled within <paramref name="timeout"/>, false when the time ran out.</summary>
    public async Task<bool> ChangedWithinAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return watch.Changed.IsCompleted;
        }
        try
        {
            await watch.Changed.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!released)
        {
            released = true;
            owner.Release(candidateId, watch);
        }
    }
}
