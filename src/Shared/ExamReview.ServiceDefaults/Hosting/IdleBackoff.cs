namespace ExamReview.ServiceDefaults.Hosting;

/// <summary>
/// How long a poller sleeps after a pass: its busy interval right after a pass that found work, doubling with every
/// empty pass up to an idle ceiling. The pollers that use it (outbox relays, the SMS and webhook dispatchers) are woken
/// by a signal on every local write, so their poll only catches what no signal announces: rows left by a process that
/// died, retries that came due, rows written by another replica whose own poller is gone. Polling every second for
/// that kept an idle platform busy (issue 19: the 1 s polls were most of its CPU at rest).
/// </summary>
public sealed class IdleBackoff
{
    private readonly TimeSpan _busy;
    private readonly TimeSpan _ceiling;
    private TimeSpan _next;

    public IdleBackoff(TimeSpan busy, TimeSpan ceiling)
    {
        if (busy <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(busy), busy, "The busy interval must be positive.");
        }
        _busy = busy;
        _ceiling = ceiling < busy ? busy : ceiling;
        _next = busy;
    }

    /// <summary>The sleep after a pass; an empty pass stretches the following one, a pass with work resets it.</summary>
    public TimeSpan After(bool foundWork)
    {
        if (foundWork)
        {
            _next = _busy;
            return _busy;
        }
        var sleep = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _ceiling.Ticks));
        return sleep;
    }
}
