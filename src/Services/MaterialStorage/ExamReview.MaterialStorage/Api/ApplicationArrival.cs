using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// What a candidate is told when their own application is not here: "on its way" (503 application_pending, ask again
/// in a moment) if they were handed over lately, else "not found". Registration opens the application here with a
/// message, and a candidate handed over a moment ago can open the page, upload or submit before it arrives — longer
/// when the evening peak queues messages. Staff and other candidates are never told: to them it is simply not there.
/// </summary>
internal static class ApplicationArrival
{
    /// <summary>How long a candidate whose application is on its way is asked to wait before asking again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after a hand-over's authorisation expired its candidate is still told "on its way". Longer than the
    /// registration's message takes even when the evening peak queues it; a message that never arrives (dead-lettered,
    /// an operator's alert) leaves the candidate with "not found" after this, not with "wait" for good.
    /// </summary>
    private static readonly TimeSpan PendingWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The refusal for the candidate's own missing application. Asked only on that path, so a read or write that finds
    /// the application pays nothing for it; the few recent hand-overs are found through the expiry index.
    /// </summary>
    public static async Task<Refusal> MissingAsync(MaterialStorageDbContext db, Guid candidateId, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - PendingWindow;
        return await db.RedeemedHandovers.AnyAsync(h => h.ExpiresAt > since && h.CandidateId == candidateId, ct)
            ? MaterialRefusals.ApplicationPending(candidateId, RetryAfter)
            : MaterialRefusals.ApplicationNotFound(candidateId);
    }
}
