using System.Diagnostics;
using System.Net.Http.Json;

namespace ExamReview.LoadGenerator;

/// <summary>
/// A site reviewer (考点审核员) working the queue of <see cref="CandidateJourney.Site"/>: reads the first page of
/// unclaimed cases (recording when each submitted application first becomes visible), claims the oldest, decides each
/// image and approves the case, or asks for one replacement and returns it (a share of <c>returnRate</c>).
/// A watcher in the same class polls the SMS records for every return (return → SMS recorded).
/// </summary>
internal sealed class ReviewerLoop(PlatformClient client, Ledger ledger, double returnRate)
{
    private static readonly TimeSpan QueuePoll = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(int reviewer, CancellationToken stop)
    {
        var token = await client.TokenAsync(new { subject = $"load-site-reviewer-{reviewer}", role = "site-reviewer", site = CandidateJourney.Site, area = CandidateJourney.Area });
        while (!stop.IsCancellationRequested)
        {
            var page = await client.SendAsync("GET reviews (queue page)", HttpMethod.Get, "ReviewWorkflow", "/api/v1/reviews/cases?state=SiteReview&claimed=false&limit=50", token);
            var now = Stopwatch.GetTimestamp();
            if (!page.Ok)
            {
                await Delay(stop);
                continue;
            }
            var items = page.Body!["items"]!.AsArray();
            RecordSightings(items, now);
            // Only the run's own candidates: the queue may hold cases of earlier runs on the same database.
            var mine = items.Where(i => ledger.Candidates.ContainsKey(i!["candidateId"]!.GetValue<Guid>())).ToList();
            if (mine.Count == 0)
            {
                await Delay(stop);
                continue;
            }
            var pick = mine[reviewer % mine.Count]!; // reviewers start at different rows, as people do
            await DecideAsync(token, pick["caseId"]!.GetValue<Guid>(), pick["candidateId"]!.GetValue<Guid>(),
                pick["imageIds"]!.AsArray().Select(i => i!.GetValue<Guid>()).ToList());
        }
    }

    private async Task DecideAsync(string token, Guid caseId, Guid candidateId, List<Guid> images)
    {
        var path = $"/api/v1/reviews/cases/{caseId}";
        var claim = await client.SendAsync("POST reviews/{id}/claim", HttpMethod.Post, "ReviewWorkflow", path + "/claim", token);
        if (!claim.Ok)
        {
            return; // another reviewer was faster (409): back to the queue
        }
        await client.SendAsync("GET reviews/{id}", HttpMethod.Get, "ReviewWorkflow", path, token);
        // Deterministic per case, so a rerun of the same case makes the same decision.
        var returning = images.Count > 0 && (uint)caseId.GetHashCode() % 1000 < returnRate * 1000;
        if (returning)
        {
            await client.SendAsync("POST reviews/{id}/images/{id}/request-replacement", HttpMethod.Post, "ReviewWorkflow", $"{path}/images/{images[0]}/request-replacement", token,
                JsonContent.Create(new { reasonCode = "unclear", note = "证件照片模糊，请重新拍摄上传。" }));
            var returned = await client.SendAsync("POST reviews/{id}/return", HttpMethod.Post, "ReviewWorkflow", path + "/return", token,
                JsonContent.Create(new { feedback = "请重新上传清晰的身份证照片。", imageIds = new[] { images[0] } }));
            if (returned.Ok)
            {
                ledger.Returned[caseId] = (candidateId, Stopwatch.GetTimestamp());
                ledger.Decided[caseId] = true;
            }
            return;
        }
        foreach (var image in images)
        {
            var decided = await client.SendAsync("POST reviews/{id}/images/{id}/approve", HttpMethod.Post, "ReviewWorkflow", $"{path}/images/{image}/approve", token);
            if (decided.Status == 409 && decided.Body?["code"]?.GetValue<string>() is "image_check_pending")
            {
                // No ✓ before the image's check has passed (ReviewWorkflow may learn the verdict a moment after the
                // candidate saw it): give the case back to the queue and come to it again, as a reviewer would.
                await client.SendAsync("DELETE reviews/{id}/claim", HttpMethod.Delete, "ReviewWorkflow", path + "/claim", token);
                return;
            }
        }
        var approved = await client.SendAsync("POST reviews/{id}/approve", HttpMethod.Post, "ReviewWorkflow", path + "/approve", token, JsonContent.Create(new { }));
        if (approved.Ok)
        {
            ledger.Decided[caseId] = true;
        }
    }

    /// <summary>
    /// A reviewer with nothing in hand, looking at the queue every 250 ms: the cases submitted in the last minute, claimed
    /// or not. The deciding reviewers see a case only between two decisions, so alone they would time their own
    /// availability into submit → visible to a reviewer; whoever sees a case first records it.
    /// </summary>
    public async Task WatchQueueAsync(CancellationToken stop)
    {
        var token = await client.TokenAsync(new { subject = "load-site-reviewer-watching", role = "site-reviewer", site = CandidateJourney.Site, area = CandidateJourney.Area });
        while (!stop.IsCancellationRequested)
        {
            var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var page = await client.SendAsync("GET reviews (queue page, watching)", HttpMethod.Get, "ReviewWorkflow",
                $"/api/v1/reviews/cases?state=SiteReview&submittedFrom={since}&limit=200", token);
            if (page.Ok)
            {
                RecordSightings(page.Body!["items"]!.AsArray(), Stopwatch.GetTimestamp());
            }
            await Delay(stop);
        }
    }

    private void RecordSightings(System.Text.Json.Nodes.JsonArray items, long now)
    {
        foreach (var item in items)
        {
            var candidate = item!["candidateId"]!.GetValue<Guid>();
            if (ledger.Submitted.TryGetValue(candidate, out var submitted) && ledger.SeenByReviewer.TryAdd(candidate, true))
            {
                client.Recorder.Add("e2e submit → visible to reviewer", Stopwatch.GetElapsedTime(submitted, now).TotalMilliseconds);
            }
        }
    }

    /// <summary>Polls the SMS records of every returned candidate until its return SMS is there (return → SMS recorded).</summary>
    public async Task WatchSmsAsync(CancellationToken stop)
    {
        var token = await client.TokenAsync(new { subject = "load-operator", role = "operator" });
        while (!stop.IsCancellationRequested)
        {
            foreach (var (caseId, (candidate, returnedAt)) in ledger.Returned.Where(r => !ledger.SmsSeen.ContainsKey(r.Key)).ToList())
            {
                var sms = await client.SendAsync("GET notifications/sms?candidateId", HttpMethod.Get, "Notification", $"/api/v1/notifications/sms?candidateId={candidate}", token);
                if (sms.Ok && sms.Body!.AsArray().Any(s => s!["template"]!.GetValue<string>() == "review-returned") && ledger.SmsSeen.TryAdd(caseId, true))
                {
                    client.Recorder.Add("e2e return → SMS recorded", Stopwatch.GetElapsedTime(returnedAt).TotalMilliseconds);
                }
            }
            await Delay(stop);
        }
    }

    private static async Task Delay(CancellationToken stop)
    {
        try
        {
            await Task.Delay(QueuePoll, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
