using System.Collections.Concurrent;

namespace ExamReview.LoadGenerator;

/// <summary>
/// What the simulated people did and saw, for the end-to-end times and the end check: every upload that got a
/// 2xx (image id), every submission (candidate → when), every return (case → when) and when each was observed
/// downstream.
/// </summary>
internal sealed class Ledger
{
    public ConcurrentDictionary<Guid, Guid> AcceptedUploads { get; } = new(); // image id → candidate id
    public ConcurrentDictionary<Guid, long> Submitted { get; } = new();       // candidate id → Stopwatch timestamp of the 2xx
    public ConcurrentDictionary<Guid, bool> SeenByReviewer { get; } = new();  // candidate id
    public ConcurrentDictionary<Guid, (Guid Candidate, long At)> Returned { get; } = new(); // case id → candidate, when
    public ConcurrentDictionary<Guid, bool> SmsSeen { get; } = new();         // case id
    public ConcurrentDictionary<Guid, bool> Decided { get; } = new();         // case id, approved or returned
    public ConcurrentDictionary<Guid, Guid> Candidates { get; } = new();      // candidate id → application id
    private int _candidatesDone;
    private int _verdicts;
    private int _turnedAway;

    public int CandidatesDone => Volatile.Read(ref _candidatesDone);

    public int Verdicts => Volatile.Read(ref _verdicts);

    public void CandidateDone() => Interlocked.Increment(ref _candidatesDone);

    public void Verdict() => Interlocked.Increment(ref _verdicts);

    /// <summary>Open-loop arrivals (--rate) that found --concurrency candidates already in flight.</summary>
    public int TurnedAwayCount => Volatile.Read(ref _turnedAway);

    public void TurnedAway() => Interlocked.Increment(ref _turnedAway);
}
