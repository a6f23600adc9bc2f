using System.Diagnostics;
using System.Globalization;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// The candidate's page as a long poll (RFC 7240 <c>Prefer: wait=N</c> with <c>If-None-Match</c>): while the page the
/// caller holds is current, the request waits, holding no database connection, until something on the page changes
/// or the wait ends (304). A page showing 检测中 learns its verdict the moment it is committed, with one request per
/// change instead of one every half second (issue 19: revalidating polls were 11 % of MaterialStorage under load).
/// </summary>
public static class PageWait
{
    /// <summary>The longest wait honoured: under the usual 30 s idle limits of proxies between the browser and us.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(25);

    /// <summary>Requests one instance holds at most; beyond this it answers at once and the caller simply asks again.</summary>
    public const int MostWaiting = 20_000;

    /// <summary>The wait the request prefers (0 when it asks for none), capped at <see cref="Longest"/>.</summary>
    public static TimeSpan Requested(HttpRequest request)
    {
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var preference in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = preference.Split(';', 2)[0].Split('=', 2, StringSplitOptions.TrimEntries);
                if (token.Length == 2 && token[0].Equals("wait", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(token[1].Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                {
                    return TimeSpan.FromSeconds(seconds) < Longest ? TimeSpan.FromSeconds(seconds) : Longest;
                }
            }
        }
        return TimeSpan.Zero;
    }

    /// <summary>
    /// Reads the page's stamp and, while the caller may read it and it still matches the caller's copy, waits for a
    /// change, up to <paramref name="wait"/>. Returns the stamp to answer with (null when the application is gone;
    /// matching, so 304, when the wait ended with nothing new) and whether the wait was honoured. The stamp is read
    /// once more when the wait ends, so a change nobody signalled (a raw upsert on SQLite) is late by the wait at most.
    /// </summary>
    public static async Task<(ApplicationPageStamp? Stamp, bool Waited)> StampWhenChangedAsync(
        ApplicationApi.PageRequest page, TimeSpan wait, Func<ApplicationPageStamp?, bool> answerNow)
    {
        var (db, changes, candidateId, ct) = (page.Db, page.Changes, page.CandidateId, page.Ct);
        if (wait <= TimeSpan.Zero || changes.Waiting >= MostWaiting)
        {
            return (await ApplicationPageStamp.LoadAsync(db, candidateId, ct), false);
        }
        var waited = Stopwatch.StartNew();
        while (true)
        {
            // Watch before reading: a change committed after the read still wakes this request.
            using var watch = changes.Watch(candidateId);
            var stamp = await ApplicationPageStamp.LoadAsync(db, candidateId, ct);
            if (answerNow(stamp))
            {
                return (stamp, true);
            }
            if (!await watch.ChangedWithinAsync(wait - waited.Elapsed, ct))
            {
                return (await ApplicationPageStamp.LoadAsync(db, candidateId, ct), true);
            }
        }
    }
}
