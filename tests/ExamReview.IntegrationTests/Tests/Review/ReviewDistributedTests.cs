using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>The review workflow across five processes on the real PostgreSQL, RabbitMQ and S3 server.</summary>
[Collection(DistributedCollection.Name)]
public sealed class ReviewDistributedTests(DistributedPlatform platform)
{
    private readonly ReviewSteps _steps = new(platform.Client);

    [Fact]
    public async Task Reviewers_racing_to_claim_and_decide_the_same_case_produce_exactly_one_winner()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var reviewers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => _steps.SiteReviewerAsync($"racer{i}-{run}")));
        var submitted = await _steps.SubmitNewAsync(reviewers[0]);
        var caseId = submitted.CaseId;

        // Four claims at once: one holds the case, the others are told it is held (or that it changed under them).
        var claims = await Race(reviewers.Select(r => (Func<Task<HttpResponseMessage>>)(() => _steps.ClaimAsync(caseId, r))));
        var winner = Assert.Single(claims, c => c.Status == HttpStatusCode.OK);
        Assert.All(claims.Where(c => c != winner), c =>
        {
            Assert.Equal(HttpStatusCode.Conflict, c.Status);
            Assert.Contains(c.Code, new[] { "claim_held", "concurrent_change" });
        });
        var holder = reviewers[claims.IndexOf(winner)];
        var holderName = winner.Body!["claim"]!["claimedBy"]!.GetValue<string>();
        Assert.Equal(holderName, (await _steps.GetCaseAsync(caseId, reviewers[0]))["claim"]!["claimedBy"]!.GetValue<string>());

        // Everyone decides at once: only the holder's decision lands.
        var decisions = await Race(reviewers.Select(r => (Func<Task<HttpResponseMessage>>)(() => _steps.ApproveAllAsync(caseId, r))));
        Assert.Single(decisions, d => d.Status == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, decisions[claims.IndexOf(winner)].Status);
        Assert.All(decisions.Where(d => d.Status != HttpStatusCode.OK), d => Assert.Equal(HttpStatusCode.Conflict, d.Status));

        // Two area reviewers approve at once, neither holding a claim beforehand: one approval, one refusal.
        var areaReviewers = await Task.WhenAll(_steps.AreaReviewerAsync($"a1-{run}"), _steps.AreaReviewerAsync($"a2-{run}"));
        var finals = await Race(areaReviewers.Select(r => (Func<Task<HttpResponseMessage>>)(() => _steps.ApproveAllAsync(caseId, r))));
        Assert.Single(finals, f => f.Status == HttpStatusCode.OK);
        Assert.All(finals.Where(f => f.Status != HttpStatusCode.OK), f =>
        {
            Assert.Equal(HttpStatusCode.Conflict, f.Status);
            Assert.Contains(f.Code, new[] { "claim_held", "concurrent_change", "illegal_transition" });
        });

        var timeline = ReviewSteps.Kinds(await _steps.TimelineAsync(caseId, reviewers[0]));
        Assert.Single(timeline, k => k == "site-approved");
        Assert.Single(timeline, k => k == "area-approved");
        Assert.Equal(submitted.ImageIds.Count, timeline.Count(k => k == "image-approved"));
        Assert.Equal("Approved", (await _steps.GetCaseAsync(caseId, reviewers[0]))["state"]!.GetValue<string>());
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "审核通过");
        _ = holder;
    }

    [Fact]
    public async Task Two_images_returned_then_replaced_resubmitted_and_approved_at_both_levels()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var site = await _steps.SiteReviewerAsync("site-" + run);
        var area = await _steps.AreaReviewerAsync("area-" + run);
        var @operator = await platform.Client.OperatorTokenAsync();
        var submitted = await _steps.SubmitNewAsync(site);
        var (caseId, candidateId, candidate) = (submitted.CaseId, submitted.CandidateId, submitted.CandidateToken);

        // Site review: every image but two approved, two sent back with reasons, then one return.
        await _steps.OkAsync(_steps.ClaimAsync(caseId, site));
        var images = (await _steps.GetCaseAsync(caseId, site))["images"]!.AsArray().Select(i => i!).ToList();
        var idCards = images.Where(i => i["materialType"]?.GetValue<string>() == "id-card").ToList();
        var rejectedIdCard = Guid.Parse((idCards.Count > 0 ? idCards[^1] : images[2])["imageId"]!.GetValue<string>());
        var rejectedCertificate = Guid.Parse((images.FirstOrDefault(i => i["materialType"]?.GetValue<string>() == "graduation-certificate") ?? images[3])["imageId"]!.GetValue<string>());
        var kept = submitted.ImageIds.Except([rejectedIdCard, rejectedCertificate]).ToList();
        Assert.Equal(PlatformClient.PlainCandidateSet.Length - 2, kept.Count);
        foreach (var image in kept)
        {
            await _steps.OkAsync(_steps.ApproveImageAsync(caseId, image, site));
        }
        await _steps.OkAsync(_steps.RequestReplacementAsync(caseId, rejectedIdCard, site, "unclear", "身份证反面模糊"));
        await _steps.OkAsync(_steps.RequestReplacementAsync(caseId, rejectedCertificate, site, "incomplete"));
        await _steps.OkAsync(_steps.ReturnAsync(caseId, site, "请更换以下图片"));

        var returned = await Eventually.GetAsync(async () =>
        {
            var view = await MaterialsAsync(candidateId, candidate);
            // The commands travel separately (competing consumers may reorder them): wait until all have landed.
            var settled = view["state"]!.GetValue<string>() == "Returned"
                && kept.All(id => ImageIn(view, id)["review"]!.GetValue<string>() == "Approved")
                && new[] { rejectedIdCard, rejectedCertificate }.All(id => ImageIn(view, id)["review"]!.GetValue<string>() == "ReplacementRequested");
            return settled ? view : null;
        }, "the application to be returned with two images to replace and two approved");
        Assert.Contains("图片不清晰", returned["feedback"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["ReplacementRequested", "ReplacementRequested"],
            new[] { rejectedIdCard, rejectedCertificate }.Select(id => ImageIn(returned, id)["review"]!.GetValue<string>()));
        Assert.All(kept, id => Assert.Equal("Approved", ImageIn(returned, id)["review"]!.GetValue<string>()));
        await platform.Client.WaitForStatusAsync(candidate, "退回修改");

        // The candidate replaces both images and resubmits.
        var typeOf = returned["images"]!.AsArray().ToDictionary(i => Guid.Parse(i!["imageId"]!.GetValue<string>()), i => i!["materialType"]!.GetValue<string>());
        var replacements = new List<Guid>();
        foreach (var old in new[] { rejectedIdCard, rejectedCertificate })
        {
            using (var delete = await platform.Client.SendAsync(HttpMethod.Delete, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{old}", candidate))
            {
                await PlatformClient.EnsureAsync(delete, HttpStatusCode.NoContent);
            }
            replacements.Add(await platform.Client.UploadAsync(candidateId, candidate, typeOf[old], ReviewTestImages.Document()));
        }
        await _steps.WaitForChecksAsync(candidateId, candidate);
        await platform.Client.SubmitAsync(candidateId, candidate);

        // Site review again: the replacements are flagged with the decision and reason they answer.
        await _steps.WaitForCaseAsync(candidateId, site, c => c["submissionNumber"]!.GetValue<int>() == 2, "&state=SiteReview&resubmitted=true");
        var resubmitted = await _steps.GetCaseAsync(caseId, site);
        Assert.Equal("Resubmitted", resubmitted["stage"]!.GetValue<string>());
        var current = resubmitted["images"]!.AsArray().Select(i => i!).ToList();
        Assert.Equal(PlatformClient.PlainCandidateSet.Length, current.Count);
        var byReplaced = current.Where(i => i["resubmitted"]!.GetValue<bool>()).ToDictionary(i => Guid.Parse(i["replacesImageId"]!.GetValue<string>()));
        Assert.Equal("unclear", byReplaced[rejectedIdCard]["previousReasonCode"]!.GetValue<string>());
        Assert.Equal("图片不清晰", byReplaced[rejectedIdCard]["previousReason"]!.GetValue<string>());
        Assert.Equal("身份证反面模糊", byReplaced[rejectedIdCard]["previousNote"]!.GetValue<string>());
        Assert.Equal("incomplete", byReplaced[rejectedCertificate]["previousReasonCode"]!.GetValue<string>());
        Assert.All(byReplaced.Values, i => Assert.Equal("ReplacementRequested", i["previousDecision"]!.GetValue<string>()));
        Assert.Equal(replacements.Order(), byReplaced.Values.Select(i => Guid.Parse(i["imageId"]!.GetValue<string>())).Order());
        Assert.All(current.Where(i => kept.Contains(Guid.Parse(i["imageId"]!.GetValue<string>()))), i => Assert.Equal("Approved", i["decision"]!.GetValue<string>()));

        await _steps.ReviewAndApproveAsync(caseId, site);
        await platform.Client.WaitForStatusAsync(candidate, "考点通过");

        // Area review (复审) approves: 审核通过.
        await _steps.WaitForCaseAsync(candidateId, area, _ => true, "&state=AreaReview");
        await _steps.ReviewAndApproveAsync(caseId, area);
        await platform.Client.WaitForStatusAsync(candidate, "审核通过");

        var approved = await Eventually.GetAsync(async () =>
        {
            var view = await MaterialsAsync(candidateId, candidate);
            return view["state"]!.GetValue<string>() == "Approved" ? view : null;
        }, "the application to be approved in MaterialStorage");
        var finalImages = approved["images"]!.AsArray();
        Assert.Equal(PlatformClient.PlainCandidateSet.Length, finalImages.Count);
        Assert.All(finalImages, i => Assert.Equal("Approved", i!["review"]!.GetValue<string>()));
        Assert.Equal(kept.Concat(replacements).Order(), finalImages.Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).Order());

        // One notice for the return (not one per image) and one for the approval.
        var sms = await Eventually.GetAsync(async () =>
        {
            var list = await platform.Client.SmsForAsync(candidateId, @operator);
            return list.Count >= 2 ? list : null;
        }, "the return and approval SMS");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await platform.Client.SmsForAsync(candidateId, @operator)).Count);
        Assert.Single(sms, m => m!["text"]!.GetValue<string>().Contains("24 小时", StringComparison.Ordinal));

        var timeline = ReviewSteps.Kinds(await _steps.TimelineAsync(caseId, area));
        Assert.Equal("submitted", timeline[0]);
        Assert.Single(timeline, k => k == "returned-site");
        Assert.Single(timeline, k => k == "resubmitted");
        Assert.Single(timeline, k => k == "site-approved");
        Assert.Single(timeline, k => k == "area-approved");
        Assert.Equal(2, timeline.Count(k => k == "image-replacement-requested"));
        Assert.True(timeline.IndexOf("returned-site") < timeline.IndexOf("resubmitted"));
        Assert.True(timeline.IndexOf("site-approved") < timeline.IndexOf("area-approved"));

        // The operators' metrics see the case on PostgreSQL: approved in 4301, one return, both reviewers' decisions.
        var metrics = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/metrics?areaCode=43&siteCode=4301", @operator);
        Assert.Contains(metrics["casesByStatus"]!.AsArray(), s => s!["state"]!.GetValue<string>() == "Approved" && s["count"]!.GetValue<int>() >= 1);
        Assert.True(metrics["timeToFinalDecision"]!["count"]!.GetValue<int>() >= 1);
        Assert.True(metrics["returnRate"]!.GetValue<double>() > 0);
        var throughput = metrics["throughputPerReviewer"]!.AsArray();
        var siteThroughput = Assert.Single(throughput, t => t!["reviewer"]!.GetValue<string>() == "site-site-" + run)!;
        Assert.Equal(1, siteThroughput["returns"]!.GetValue<int>());
        Assert.Equal(1, siteThroughput["approvals"]!.GetValue<int>());
        // every image but two approved, two sent back, their two replacements approved
        Assert.Equal(PlatformClient.PlainCandidateSet.Length + 2, siteThroughput["imageDecisions"]!.GetValue<int>());
        Assert.Equal(1, Assert.Single(throughput, t => t!["reviewer"]!.GetValue<string>() == "area-area-" + run)!["approvals"]!.GetValue<int>());
    }

    private Task<JsonNode> MaterialsAsync(Guid candidateId, string token) =>
        platform.Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);

    private static JsonNode ImageIn(JsonNode application, Guid imageId) =>
        application["images"]!.AsArray().Single(i => i!["imageId"]!.GetValue<string>() == imageId.ToString())!;

    private sealed record Outcome(HttpStatusCode Status, string? Code, JsonNode? Body);

    /// <summary>Starts every request together and collects status and problem code in the order given.</summary>
    private static async Task<List<Outcome>> Race(IEnumerable<Func<Task<HttpResponseMessage>>> calls)
    {
        using var start = new ManualResetEventSlim(false);
        var tasks = calls.Select(call => Task.Run(async () =>
        {
            start.Wait();
            using var response = await call();
            var body = await response.Content.ReadFromJsonAsync<JsonNode>();
            return new Outcome(response.StatusCode, response.IsSuccessStatusCode ? null : body?["code"]?.GetValue<string>(), body);
        })).ToList();
        start.Set();
        return [.. await Task.WhenAll(tasks)];
    }
}
