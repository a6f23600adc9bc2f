using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Notification;
using ExamReview.IntegrationTests.Tests.Review;
using ExamReview.Notification.Webhooks;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>A province's candidates in the states the test needs: one awaiting area review, one only registered.</summary>
public sealed record ProvinceSeed(Guid AwaitingAreaCandidate, Guid AwaitingAreaCase, Guid RegisteredCandidate, string RegisteredToken);

/// <summary>
/// Issue 14: two provincial systems at once, each a machine client of its own province, sync from zero, keep their
/// cursors across a restart of the platform, push a correction and a decision with retries (replayed responses, 412 on
/// a stale ETag, 428 without one, 422 on a reused key), and end with exactly the platform's state — neither ever seeing
/// the other's data (out of scope answers 404, as missing). Each province also registers its own webhook receiver,
/// which is down for its first deliveries, then recovers: every change it caused or observed arrives signed, fresh, in
/// order per candidate, its own only, and the state the webhooks announce is the feeds' and the platform's.
/// </summary>
[Collection(ProvincialCollection.Name)]
public sealed class ProvincialClientTests(ProvincialPlatform platform)
{
    private PlatformClient Client => platform.Client;

    private async Task<ProvinceSeed> SeedAsync(string area, string site)
    {
        var steps = new ReviewSteps(Client);
        var siteReviewer = await steps.SiteReviewerAsync("provincial-" + site, site);
        var (candidateId, token) = await Client.NewCandidateAsync(area, site);
        foreach (var type in PlatformClient.PlainCandidateSet)
        {
            await Client.UploadAsync(candidateId, token, type, ReviewTestImages.Document());
        }
        await steps.WaitForChecksAsync(candidateId, token);
        await Client.SubmitAsync(candidateId, token);
        var caseId = await steps.WaitForCaseAsync(candidateId, siteReviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        await Client.ApproveAsync(caseId, siteReviewer);
        var (registered, registeredToken) = await Client.NewCandidateAsync(area, site);
        return new ProvinceSeed(candidateId, caseId, registered, registeredToken);
    }

    /// <summary>Requests each receiver refuses (503 or a hang past the dispatcher's timeout) before it recovers.</summary>
    private const int ReceiverDownFor = 6;

    [Fact]
    public async Task Two_provinces_sync_push_with_retries_survive_a_restart_and_end_with_exactly_the_platforms_state()
    {
        var hunan = new SimulatedProvince(() => Client, ProvincialPlatform.Hunan);
        var guangdong = new SimulatedProvince(() => Client, ProvincialPlatform.Guangdong);
        await hunan.AuthenticateAsync();
        await guangdong.AuthenticateAsync();
        // Webhooks first, so the receivers see every change from the first submission on; both start down.
        await using var hunanHooks = await WebhookTestReceiver.StartAsync();
        await using var guangdongHooks = await WebhookTestReceiver.StartAsync();
        hunanHooks.FailFirst = ReceiverDownFor;
        guangdongHooks.FailFirst = ReceiverDownFor;
        await hunan.RegisterWebhooksAsync(hunanHooks, ProvincialWebhookChecks.AllTypes);
        await guangdong.RegisterWebhooksAsync(guangdongHooks, ProvincialWebhookChecks.AllTypes);

        var hunanSeed = await SeedAsync("43", "4301");
        var guangdongSeed = await SeedAsync("44", "4401");
        // A material uploaded and deleted again: the feed must carry its tombstone.
        var withdrawn = await Client.UploadAsync(hunanSeed.RegisteredCandidate, hunanSeed.RegisteredToken, "id-card", ReviewTestImages.Document());
        using (var delete = await Client.SendAsync(HttpMethod.Delete, "MaterialStorage",
            $"/api/v1/materials/candidates/{hunanSeed.RegisteredCandidate}/images/{withdrawn}", hunanSeed.RegisteredToken))
        {
            await PlatformClient.EnsureAsync(delete, HttpStatusCode.NoContent);
        }

        await Eventually.TrueAsync(async () =>
        {
            await hunan.SyncAsync();
            await guangdong.SyncAsync();
            return hunan.Review(hunanSeed.AwaitingAreaCase)?["state"]?.GetValue<string>() == "AreaReview"
                && guangdong.Review(guangdongSeed.AwaitingAreaCase)?["state"]?.GetValue<string>() == "AreaReview"
                && hunan.Tombstones > 0;
        }, "both provinces to sync their seeded state");

        // Scope: each sees its own province only; the other's items answer 404, as missing ones.
        Assert.All(hunan.Copy.Values.SelectMany(v => v.Values).Where(s => s.ContainsKey("areaCode")), s => Assert.Equal("43", s["areaCode"]!.GetValue<string>()));
        Assert.All(guangdong.Copy.Values.SelectMany(v => v.Values).Where(s => s.ContainsKey("areaCode")), s => Assert.Equal("44", s["areaCode"]!.GetValue<string>()));
        Assert.Null(hunan.Registration(guangdongSeed.AwaitingAreaCandidate));
        Assert.DoesNotContain(hunan.Materials(hunanSeed.RegisteredCandidate), m => m["imageId"]!.GetValue<string>() == withdrawn.ToString());
        await AssertNotFoundAsync(hunan.GetAsync("Registration", $"/api/v1/provincial/registrations/{guangdongSeed.AwaitingAreaCandidate}"), "registration_not_found");
        await AssertNotFoundAsync(guangdong.GetAsync("ReviewWorkflow", $"/api/v1/provincial/reviews/{hunanSeed.AwaitingAreaCase}"), "case_not_found");
        await AssertNotFoundAsync(hunan.PostAsync("ReviewWorkflow", $"/api/v1/provincial/reviews/{guangdongSeed.AwaitingAreaCase}/decisions",
            new { decision = "approve" }, Guid.NewGuid().ToString(), "\"1\""), "case_not_found");
        await AssertNotFoundAsync(guangdong.PostAsync("Registration", $"/api/v1/provincial/registrations/{hunanSeed.RegisteredCandidate}/corrections",
            new { fullName = "王五", reason = "越权更正" }, Guid.NewGuid().ToString(), "\"1\""), "registration_not_found");

        await CorrectWithRetriesAsync(hunan, hunanSeed.RegisteredCandidate);
        await DecideWithRetriesAsync(hunan, hunanSeed.AwaitingAreaCase, new { decision = "approve" }, "Approved");
        // Every image has its ✓ from the site (final) and nothing is missing: a return would leave the candidate nothing to change.
        // A return asking for materials to add (supplement) is the return left to a province then; its note says what to add.
        await AssertReturnRefusedAsync(guangdong, guangdongSeed.AwaitingAreaCase);
        await DecideWithRetriesAsync(guangdong, guangdongSeed.AwaitingAreaCase,
            new { decision = "return", supplement = true, note = "请补充上传近三个月的社保缴纳证明。" }, "Returned");

        // The decisions' effects travel to Registration and MaterialStorage; the clients follow until they read them.
        await Eventually.TrueAsync(async () =>
        {
            await hunan.SyncAsync();
            await guangdong.SyncAsync();
            return hunan.Registration(hunanSeed.AwaitingAreaCandidate)?["status"]?["code"]?.GetValue<string>() == "Approved"
                && hunan.Application(hunanSeed.AwaitingAreaCandidate)?["state"]?.GetValue<string>() == "Approved"
                && guangdong.Registration(guangdongSeed.AwaitingAreaCandidate)?["status"]?["code"]?.GetValue<string>() == "Returned"
                && guangdong.Application(guangdongSeed.AwaitingAreaCandidate)?["state"]?.GetValue<string>() == "Returned";
        }, "the decisions to reach every feed");

        // The platform restarts once the decisions have landed (the embedded run's bus is in memory: a message handed to
        // it but not yet consumed would die with the process, which is not what this test is about). The clients keep
        // their cursors (and their copies), authenticate again, and a change made after the restart reaches them after
        // their stored cursor, with nothing served twice.
        // Landed means Notification has them too: each decision's webhook has arrived (the receivers are back by now).
        await Eventually.TrueAsync(() => Task.FromResult(
            ProvincialWebhookChecks.HasArrived(hunan, new Dictionary<Guid, string[]>
            {
                [hunanSeed.AwaitingAreaCandidate] = [WebhookEventTypes.StatusChanged, WebhookEventTypes.Approved],
                [hunanSeed.RegisteredCandidate] = [WebhookEventTypes.RegistrationCorrected],
            })
            && ProvincialWebhookChecks.HasArrived(guangdong, new Dictionary<Guid, string[]>
            {
                [guangdongSeed.AwaitingAreaCandidate] = [WebhookEventTypes.StatusChanged, WebhookEventTypes.Returned],
            })), "the decisions' webhooks to arrive before the restart", TimeSpan.FromSeconds(90));
        var receivedBefore = guangdong.Received["registrations"].Count;
        await platform.RestartAsync();
        await hunan.AuthenticateAsync();
        await guangdong.AuthenticateAsync();
        await CorrectWithRetriesAsync(guangdong, guangdongSeed.RegisteredCandidate);
        await Eventually.TrueAsync(async () =>
        {
            await hunan.SyncAsync();
            await guangdong.SyncAsync();
            return guangdong.Registration(guangdongSeed.RegisteredCandidate)?["fullName"]?.GetValue<string>() == "李四";
        }, "the correction after the restart to reach the feed");
        Assert.True(guangdong.Received["registrations"].Count > receivedBefore, "the cursor continued after the restart");

        foreach (var province in new[] { hunan, guangdong })
        {
            foreach (var feed in province.Received.Values)
            {
                Assert.Equal(feed.Count, feed.Distinct().Count()); // no change served twice, restart included
            }
        }
        await AssertSameStateAsync(hunan, [hunanSeed.AwaitingAreaCandidate, hunanSeed.RegisteredCandidate], [hunanSeed.AwaitingAreaCase], "43");
        await AssertSameStateAsync(guangdong, [guangdongSeed.AwaitingAreaCandidate, guangdongSeed.RegisteredCandidate], [guangdongSeed.AwaitingAreaCase], "44");

        await AssertWebhooksAsync(hunan, hunanSeed, guangdongSeed, hunanHooks,
            [WebhookStatuses.Approved, WebhookEventTypes.Approved], corrected: true);
        await AssertWebhooksAsync(guangdong, guangdongSeed, hunanSeed, guangdongHooks,
            [WebhookStatuses.Returned, WebhookEventTypes.Returned], corrected: true); // corrected after the restart
    }

    /// <summary>
    /// The province's receiver, down for its first deliveries, ends with every change of its candidates: the submission
    /// and the site's approval it observed, the decision and correction it pushed — verified, in order, its own only —
    /// and the status it last announced is the one the feed (already checked against the platform) shows.
    /// </summary>
    private static async Task AssertWebhooksAsync(SimulatedProvince province, ProvinceSeed own, ProvinceSeed other, WebhookTestReceiver hooks,
        string[] decision, bool corrected)
    {
        var expected = new Dictionary<Guid, string[]>
        {
            [own.AwaitingAreaCandidate] = [WebhookEventTypes.StatusChanged, decision[1]],
        };
        if (corrected)
        {
            expected[own.RegisteredCandidate] = [WebhookEventTypes.RegistrationCorrected];
        }
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(ProvincialWebhookChecks.HasArrived(province, expected)),
                $"{province.Config.ClientId}'s receiver to get every change", TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e)
        {
            // Say what did arrive: which delivery is missing points at the consumer or the dispatcher.
            throw new TimeoutException($"{e.Message} Refused {hooks.Refused}; arrived: " +
                string.Join("; ", province.Webhooks.Select(w => $"{w.CandidateId}#{w.Sequence} {ProvincialWebhookChecks.Describe(w)}")), e);
        }
        Assert.True(hooks.Refused >= ReceiverDownFor, $"the receiver refused {hooks.Refused} requests while down");

        ProvincialWebhookChecks.AssertVerifiedAndScoped(province, expected.Keys, [other.AwaitingAreaCandidate, other.RegisteredCandidate]);
        ProvincialWebhookChecks.AssertInOrder(province, own.AwaitingAreaCandidate,
            "status_changed:" + WebhookStatuses.Filling, "status_changed:" + WebhookStatuses.SiteApproved, "status_changed:" + decision[0], decision[1]);
        ProvincialWebhookChecks.AssertAgreesWithFeed(province, own.AwaitingAreaCandidate);
        if (corrected)
        {
            var correction = Assert.Single(province.Webhooks, w => w.Type == WebhookEventTypes.RegistrationCorrected);
            Assert.Equal(own.RegisteredCandidate, correction.CandidateId);
            Assert.Contains(correction.Data["fields"]!.AsArray(), f => f!.GetValue<string>() == "fullName");
            Assert.Equal("李四", province.Registration(own.RegisteredCandidate)!["fullName"]!.GetValue<string>());
        }
        else
        {
            Assert.DoesNotContain(province.Webhooks, w => w.Type == WebhookEventTypes.RegistrationCorrected);
        }
    }

    /// <summary>A correction sent, lost on the way back, retried; then the mistakes a client can make, each refused with its code.</summary>
    private static async Task CorrectWithRetriesAsync(SimulatedProvince province, Guid candidateId)
    {
        var path = $"/api/v1/provincial/registrations/{candidateId}";
        string etag;
        using (var read = await province.GetAsync("Registration", path))
        {
            await PlatformClient.EnsureAsync(read, HttpStatusCode.OK);
            etag = read.Headers.ETag!.ToString();
        }
        var body = new { fullName = "李四", reason = "省报名系统核对户籍信息后更正姓名" };
        var key = Guid.NewGuid().ToString();
        string first;
        using (var response = await province.PostAsync("Registration", path + "/corrections", body, key, etag))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            first = await response.Content.ReadAsStringAsync();
            Assert.NotEqual(etag, response.Headers.ETag!.ToString());
        }
        using (var retry = await province.PostAsync("Registration", path + "/corrections", body, key, etag))
        {
            await PlatformClient.EnsureAsync(retry, HttpStatusCode.OK);
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(JsonNode.Parse(first)!.ToJsonString(), JsonNode.Parse(await retry.Content.ReadAsStringAsync())!.ToJsonString());
        }
        await AssertProblemAsync(province.PostAsync("Registration", path + "/corrections", new { fullName = "赵六", reason = "另一个请求" }, key, etag),
            HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await AssertProblemAsync(province.PostAsync("Registration", path + "/corrections", new { fullName = "赵六", reason = "基于旧版本" }, Guid.NewGuid().ToString(), etag),
            HttpStatusCode.PreconditionFailed, "etag_mismatch");
        await AssertProblemAsync(province.PostAsync("Registration", path + "/corrections", new { fullName = "赵六", reason = "没有 If-Match" }, Guid.NewGuid().ToString(), null),
            (HttpStatusCode)428, "if_match_required");
        await AssertProblemAsync(province.PostAsync("Registration", path + "/corrections", new { fullName = "赵六", reason = "没有幂等键" }, null, etag),
            HttpStatusCode.BadRequest, "idempotency_key_required");

        var corrections = await province.GetAsync("Registration", path);
        var current = (await corrections.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("李四", current["fullName"]!.GetValue<string>());
        corrections.Dispose();
    }

    private static async Task DecideWithRetriesAsync(SimulatedProvince province, Guid caseId, object decision, string expectedState)
    {
        var path = $"/api/v1/provincial/reviews/{caseId}";
        string etag;
        using (var read = await province.GetAsync("ReviewWorkflow", path))
        {
            await PlatformClient.EnsureAsync(read, HttpStatusCode.OK);
            etag = read.Headers.ETag!.ToString();
        }
        var key = Guid.NewGuid().ToString();
        JsonObject first;
        using (var response = await province.PostAsync("ReviewWorkflow", path + "/decisions", decision, key, etag))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            first = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        Assert.Equal(expectedState, first["review"]!["state"]!.GetValue<string>());
        // Recorded on the case's own timeline, under the client's name.
        Assert.Contains(first["timeline"]!.AsArray(), e => e!["actor"]!.GetValue<string>() == province.Config.Name
            && e["kind"]!.GetValue<string>() is "area-approved" or "returned-area" or "rejected");
        using (var retry = await province.PostAsync("ReviewWorkflow", path + "/decisions", decision, key, etag))
        {
            await PlatformClient.EnsureAsync(retry, HttpStatusCode.OK);
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(first.ToJsonString(), (await retry.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString());
        }
        await AssertProblemAsync(province.PostAsync("ReviewWorkflow", path + "/decisions", new { decision = "reject", note = "基于旧版本的决定" }, Guid.NewGuid().ToString(), etag),
            HttpStatusCode.PreconditionFailed, "etag_mismatch");
    }

    /// <summary>The client's copy equals what the platform answers for each item now.</summary>
    private async Task AssertSameStateAsync(SimulatedProvince province, Guid[] candidates, Guid[] cases, string area)
    {
        var copied = province.Copy["registrations"].Keys.Select(k => Guid.Parse(k["registration:".Length..])).ToHashSet();
        Assert.Superset(candidates.ToHashSet(), copied);
        foreach (var candidateId in candidates)
        {
            using var response = await province.GetAsync("Registration", $"/api/v1/provincial/registrations/{candidateId}");
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            var platformState = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(platformState.ToJsonString(), province.Registration(candidateId)!.ToJsonString());
        }
        foreach (var caseId in cases)
        {
            using var response = await province.GetAsync("ReviewWorkflow", $"/api/v1/provincial/reviews/{caseId}");
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            var platformState = (await response.Content.ReadFromJsonAsync<JsonObject>())!["review"]!;
            Assert.Equal(platformState.ToJsonString(), province.Review(caseId)!.ToJsonString());
        }
        // Applications and their materials, against what an area reviewer of the same province reads.
        var areaReviewer = await Client.AreaReviewerTokenAsync(area);
        foreach (var candidateId in candidates)
        {
            var view = await Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", areaReviewer);
            Assert.Equal(view["state"]!.GetValue<string>(), province.Application(candidateId)!["state"]!.GetValue<string>());
            Assert.Equal(view["images"]!.AsArray().Select(i => i!["imageId"]!.GetValue<string>()).Order(),
                province.Materials(candidateId).Select(m => m["imageId"]!.GetValue<string>()).Order());
        }
    }

    /// <summary>A return the case refuses, with its Chinese reason, and nothing changed: the case still awaits the area.</summary>
    private static async Task AssertReturnRefusedAsync(SimulatedProvince province, Guid caseId)
    {
        var path = $"/api/v1/provincial/reviews/{caseId}";
        string etag;
        using (var read = await province.GetAsync("ReviewWorkflow", path))
        {
            await PlatformClient.EnsureAsync(read, HttpStatusCode.OK);
            etag = read.Headers.ETag!.ToString();
        }
        using (var refused = await province.PostAsync("ReviewWorkflow", path + "/decisions",
            new { decision = "return", reasonCodes = new[] { "unclear" }, note = "请在自然光下重拍。" }, Guid.NewGuid().ToString(), etag))
        {
            var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.Equal("return_nothing_to_change", problem["code"]!.GetValue<string>());
            Assert.Contains("考生无法修改任何材料", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("supplement=true", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // Asking for materials to add without saying which is refused too: the candidate would read nothing to act on.
        using (var silent = await province.PostAsync("ReviewWorkflow", path + "/decisions",
            new { decision = "return", supplement = true }, Guid.NewGuid().ToString(), etag))
        {
            var problem = await PlatformClient.ProblemAsync(silent, HttpStatusCode.BadRequest);
            Assert.Equal("validation", problem["code"]!.GetValue<string>());
            Assert.Contains("note", problem.ToJsonString(), StringComparison.Ordinal);
        }
        using var after = await province.GetAsync("ReviewWorkflow", path);
        await PlatformClient.EnsureAsync(after, HttpStatusCode.OK);
        Assert.Equal(etag, after.Headers.ETag!.ToString());
    }

    private static async Task AssertNotFoundAsync(Task<HttpResponseMessage> call, string code) => await AssertProblemAsync(call, HttpStatusCode.NotFound, code);

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string? code)
    {
        using var response = await call;
        if (code is null)
        {
            await PlatformClient.EnsureAsync(response, status);
            return;
        }
        var problem = await PlatformClient.ProblemAsync(response, status);
        Assert.Equal(code, problem["code"]!.GetValue<string>());
    }
}
