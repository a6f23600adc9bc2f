using ExamReview.IntegrationTests.Tests.Notification;
using ExamReview.Notification.Webhooks;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>
/// What a provincial receiver can check about the webhooks it got: each verified and fresh, its own province's only,
/// contiguous and in order per candidate, carrying every change the province caused or observed, and telling the same
/// story as the feeds.
/// </summary>
public static class ProvincialWebhookChecks
{
    /// <summary>The replay window a receiver enforces on <c>webhook-timestamp</c> (the guide's 5 minutes).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static readonly string[] AllTypes = [.. WebhookEventTypes.All.Keys];

    /// <summary>True once, for every candidate, the types listed have all arrived (in any order so far).</summary>
    public static bool HasArrived(SimulatedProvince province, IReadOnlyDictionary<Guid, string[]> expected) =>
        expected.All(e => e.Value.All(type => province.Webhooks.Any(w => w.CandidateId == e.Key && w.Type == type)));

    /// <summary>
    /// Scope by the area each event names and by the other province's candidates, none of which may appear; <paramref name="ownCandidates"/>
    /// must each have had something (the platform's other tests may add candidates of the same area).
    /// </summary>
    public static void AssertVerifiedAndScoped(SimulatedProvince province, IReadOnlyCollection<Guid> ownCandidates, IReadOnlyCollection<Guid> otherCandidates)
    {
        var webhooks = province.Webhooks;
        Assert.NotEmpty(webhooks);
        // Every attempt the receiver accepted verified with the secret it was given (one signature at a time) …
        Assert.All(province.Hooks!.Accepted.Where(w => w.Receiver == province.Config.ClientId), w => Assert.Single(w.VerifiedBy));
        // … and was signed within the replay window of its arrival.
        Assert.All(province.Hooks.Accepted.Where(w => w.Receiver == province.Config.ClientId), w =>
            Assert.InRange(Math.Abs(w.ReceivedAt.ToUnixTimeSeconds() - w.Timestamp), 0L, (long)Window.TotalSeconds));
        Assert.All(webhooks, w => Assert.Equal(province.Config.Area, w.AreaCode));
        Assert.All(webhooks, w => Assert.DoesNotContain(w.CandidateId, otherCandidates));
        Assert.All(ownCandidates, c => Assert.Contains(webhooks, w => w.CandidateId == c));
        foreach (var candidate in webhooks.GroupBy(w => w.CandidateId))
        {
            // In order per candidate: the sequence runs 1, 2, 3 … in the order the receiver got them, nothing missing.
            Assert.Equal(Enumerable.Range(1, candidate.Count()).Select(i => (long)i), candidate.Select(w => w.Sequence));
        }
        // Every review event says where the review stood, so a receiver can tell the latest outcome (guide §6).
        Assert.All(webhooks.Where(w => w.Type.StartsWith("application.", StringComparison.Ordinal)), w =>
            Assert.True(w.Data[WebhookPayloads.ReviewPositionField]?["submissionNumber"]?.GetValue<int>() >= 1, $"{w.Type} {w.WebhookId} without a review position"));
    }

    /// <summary>The types a candidate's webhooks must contain, as a subsequence in this order.</summary>
    public static void AssertInOrder(SimulatedProvince province, Guid candidateId, params string[] expected)
    {
        var types = province.Webhooks.Where(w => w.CandidateId == candidateId).Select(Describe).ToList();
        var at = 0;
        foreach (var type in types)
        {
            if (at < expected.Length && type == expected[at])
            {
                at++;
            }
        }
        Assert.True(at == expected.Length, $"expected, in order, [{string.Join(", ", expected)}] within [{string.Join(", ", types)}]");
    }

    /// <summary>A status change reads as its status (<c>status_changed:Approved</c>), other events as their type.</summary>
    public static string Describe(ReceivedWebhook webhook) =>
        webhook.Type == WebhookEventTypes.StatusChanged ? "status_changed:" + webhook.Data["status"]!.GetValue<string>() : webhook.Type;

    /// <summary>The candidate's last status announced by webhook, or null when none was.</summary>
    public static string? LastStatus(SimulatedProvince province, Guid candidateId) =>
        province.Webhooks.LastOrDefault(w => w.CandidateId == candidateId && w.Type == WebhookEventTypes.StatusChanged)?.Data["status"]!.GetValue<string>();

    /// <summary>Webhooks and feeds agree: the last announced status is the feed's status for the candidate.</summary>
    public static void AssertAgreesWithFeed(SimulatedProvince province, Guid candidateId)
    {
        var status = LastStatus(province, candidateId);
        Assert.NotNull(status);
        Assert.Equal(status, province.Registration(candidateId)!["status"]!["code"]!.GetValue<string>());
    }
}
