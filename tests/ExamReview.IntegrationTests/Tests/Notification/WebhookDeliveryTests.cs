using System.Text.Json;
using System.Text.Json.Nodes;
using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using MassTransit;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Signed webhooks end to end: two provinces register receivers over the API, platform events arrive on the bus while
/// the receivers fail (503s and timeouts), the receivers recover, and each gets exactly its subscribed events of its
/// own area — every one verified by the StandardWebhooks package, in order per candidate — with a delivery log to read,
/// replays, and a rotation whose old and new secrets both verify during the overlap.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookDeliveryTests(PostgresContainer postgres)
{
    private const string Endpoints = "/api/v1/notifications/webhooks/endpoints";
    private const string Hunan = "hunan";
    private const string Guangdong = "guangdong";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly string[] GuangdongTypes = [WebhookEventTypes.StatusChanged, WebhookEventTypes.RegistrationCorrected];

    [Fact]
    public async Task Two_provinces_get_exactly_their_events_verified_and_in_order_after_their_receivers_recover()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        await using var receiver = await WebhookTestReceiver.StartAsync();
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var guangdong = host.Token("guangdong-sync", Roles.Province, "44");
        var @operator = host.Token("ops", Roles.Operator);

        var hunanEndpoint = await RegisterAsync(host, receiver, Hunan, hunan, [.. WebhookEventTypes.All.Keys]);
        var guangdongEndpoint = await RegisterAsync(host, receiver, Guangdong, guangdong, GuangdongTypes);
        receiver.Failing = true;

        var (h1, h2, g1) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var expected = new Dictionary<(string, Guid), List<string>>();
        var events = new Events(host, expected);
        foreach (var candidate in new[] { (h1, "43"), (h2, "43"), (g1, "44") })
        {
            await host.PublishAsync<CandidateContactChanged, CandidateContactChangedConsumer>(new CandidateContactChanged(candidate.Item1, candidate.Item2, "13800138000", 0), NewId.NextGuid());
        }
        // Interleaved across candidates, one after another per candidate, as reviews happen.
        await events.SubmittedAsync(h1, "43");
        await events.SubmittedAsync(g1, "44");
        await events.SubmittedAsync(h2, "43");
        await events.SiteApprovedAsync(h1, "43");
        await events.CorrectedAsync(h2, "43");
        await events.SiteApprovedAsync(g1, "44");
        await events.ReturnedAsync(h1, "43");
        await events.ReturnedAsync(g1, "44");
        await events.SiteApprovedAsync(h2, "43");
        await events.CorrectedAsync(g1, "44");
        await events.SubmittedAsync(h1, "43");
        await events.ResumedAsync(g1, "44");
        await events.RejectedAsync(h2, "43");
        var approvedId = await events.ApprovedAsync(h1, "43");
        await events.ApprovedAsync(g1, "44");
        // The same message twice: one delivery per endpoint and event type.
        await host.PublishAsync<ApplicationApproved, ApplicationApprovedWebhookConsumer>(events.LastApprovedMessage!, approvedId);

        // Down for a while: refused and timed-out attempts pile up, nothing is accepted, nothing is lost.
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Refused >= 8), "the receivers to refuse a few attempts", TimeSpan.FromSeconds(60));
        Assert.Empty(receiver.Accepted);
        receiver.Failing = false;

        var expectedHunan = Expected(expected, Hunan, [h1, h2]);
        var expectedGuangdong = Expected(expected, Guangdong, [g1]);
        await Eventually.TrueAsync(() => Task.FromResult(
                receiver.FirstArrivals(Hunan).Count == expectedHunan.Sum(c => c.Value.Count) && receiver.FirstArrivals(Guangdong).Count == expectedGuangdong.Sum(c => c.Value.Count)),
            "every subscribed event at its receiver", TimeSpan.FromSeconds(90));

        AssertArrivals(receiver, Hunan, "43", expectedHunan);
        AssertArrivals(receiver, Guangdong, "44", expectedGuangdong);

        // The delivery log: every delivery delivered, some only after refused or timed-out attempts, all readable.
        var (status, log) = await host.SendAsync(HttpMethod.Get, $"{Endpoints}/{hunanEndpoint}/deliveries?limit=500", hunan);
        Assert.Equal(200, status);
        var rows = log!.AsArray();
        Assert.Equal(expectedHunan.Sum(c => c.Value.Count), rows.Count);
        Assert.All(rows, r => Assert.Equal("Delivered", r!["status"]!.GetValue<string>()));
        Assert.Single(rows, r => r!["candidateId"]!.GetValue<Guid>() == h1 && r["eventType"]!.GetValue<string>() == WebhookEventTypes.Approved);
        var retried = rows.First(r => r!["attempts"]!.GetValue<int>() > 1)!;
        var (detailStatus, detail) = await host.SendAsync(HttpMethod.Get, $"/api/v1/notifications/webhooks/deliveries/{retried["id"]}", hunan);
        Assert.Equal(200, detailStatus);
        var attempts = detail!["attemptLog"]!.AsArray();
        Assert.Equal(retried["attempts"]!.GetValue<int>(), attempts.Count);
        Assert.All(attempts.SkipLast(1), a => Assert.NotNull(a!["error"]));
        Assert.Contains(attempts, a => a!["statusCode"]?.GetValue<int>() == 503 || a!["statusCode"] is null);
        Assert.Equal(204, attempts[^1]!["statusCode"]!.GetValue<int>());
        Assert.All(attempts, a => Assert.True(a!["durationMs"]!.GetValue<int>() >= 0));

        // Scope: another province sees none of it, as if it did not exist.
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, $"{Endpoints}/{hunanEndpoint}/deliveries", guangdong)).Status);
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, $"/api/v1/notifications/webhooks/deliveries/{retried["id"]}", guangdong)).Status);
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Post, $"/api/v1/notifications/webhooks/deliveries/{retried["id"]}/replay", guangdong)).Status);
        var (_, guangdongList) = await host.SendAsync(HttpMethod.Get, Endpoints, guangdong);
        Assert.Equal([guangdongEndpoint], guangdongList!.AsArray().Select(e => e!["id"]!.GetValue<Guid>()));

        // Replays: the province its own delivery, an operator anyone's; the same id arrives again, verified.
        var replayed = retried["webhookId"]!.GetValue<string>();
        Assert.Equal(202, (await host.SendAsync(HttpMethod.Post, $"/api/v1/notifications/webhooks/deliveries/{retried["id"]}/replay", hunan)).Status);
        var (_, guangdongLog) = await host.SendAsync(HttpMethod.Get, $"{Endpoints}/{guangdongEndpoint}/deliveries", @operator);
        var operatorReplay = guangdongLog!.AsArray()[0]!;
        Assert.Equal(202, (await host.SendAsync(HttpMethod.Post, $"/api/v1/notifications/webhooks/deliveries/{operatorReplay["id"]}/replay", @operator)).Status);
        await Eventually.TrueAsync(() => Task.FromResult(
            receiver.Accepted.Count(w => w.WebhookId == replayed) >= 2 && receiver.Accepted.Count(w => w.WebhookId == operatorReplay["webhookId"]!.GetValue<string>()) >= 2),
            "both replays at their receivers", TimeSpan.FromSeconds(30));
        Assert.All(receiver.Accepted.Where(w => w.WebhookId == replayed), w => Assert.NotEmpty(w.VerifiedBy));
        var (_, afterReplay) = await host.SendAsync(HttpMethod.Get, $"/api/v1/notifications/webhooks/deliveries/{retried["id"]}", @operator);
        Assert.Equal(1, afterReplay!["delivery"]!["replays"]!.GetValue<int>());
        Assert.Equal("Delivered", afterReplay["delivery"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rotated_secret_and_the_previous_one_both_verify_during_the_overlap()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        await using var receiver = await WebhookTestReceiver.StartAsync();
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var (status, created) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan,
            new { url = receiver.Url(Hunan), eventTypes = new[] { WebhookEventTypes.StatusChanged } });
        Assert.Equal(201, status);
        var endpointId = created!["endpoint"]!["id"]!.GetValue<Guid>();
        var oldSecret = created["secret"]!.GetValue<string>();

        var (rotated, issued) = await host.SendAsync(HttpMethod.Post, $"{Endpoints}/{endpointId}/secret/rotate", hunan, new { overlapMinutes = 60 });
        Assert.Equal(200, rotated);
        var newSecret = issued!["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        receiver.Trust(Hunan, oldSecret);
        receiver.Trust(Hunan, newSecret);

        var candidate = Guid.NewGuid();
        await host.PublishAsync<ApplicationSiteApproved, ApplicationSiteApprovedWebhookConsumer>(
            new ApplicationSiteApproved(Guid.NewGuid(), Guid.NewGuid(), candidate, "43", "4301"), NewId.NextGuid());
        var arrived = await Eventually.GetAsync(() => Task.FromResult(receiver.Accepted.FirstOrDefault()), "the event signed twice");

        Assert.Equal(2, arrived.Signatures);
        Assert.Equal([oldSecret, newSecret], arrived.VerifiedBy);
        var (_, endpoint) = await host.SendAsync(HttpMethod.Get, $"{Endpoints}/{endpointId}", hunan);
        Assert.Equal(2, endpoint!["secrets"]!.AsArray().Count);
        Assert.DoesNotContain("whsec_", endpoint.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_learned_after_the_approval_that_followed_it_arrives_later_but_its_review_position_says_it_is_older()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        await using var receiver = await WebhookTestReceiver.StartAsync();
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        await RegisterAsync(host, receiver, Hunan, hunan, [WebhookEventTypes.StatusChanged, WebhookEventTypes.Approved, WebhookEventTypes.Returned]);
        var (candidate, caseId, applicationId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        // The second submission; the area returned it at version 3, the candidate's fix was approved at version 5 — but the
        // broker redelivered the return late, so Notification learned of it after the approval.
        await host.PublishAsync<ApplicationSubmitted, ApplicationSubmittedWebhookConsumer>(
            new ApplicationSubmitted(applicationId, candidate, "2027430001", "43", "4301", 2, [], DateTimeOffset.UtcNow), NewId.NextGuid());
        await host.PublishAsync<ApplicationApproved, ApplicationApprovedWebhookConsumer>(
            new ApplicationApproved(caseId, applicationId, candidate, "43") { Position = new ReviewPosition(2, 5) }, NewId.NextGuid());
        await host.PublishAsync<ApplicationReturned, ApplicationReturnedWebhookConsumer>(
            new ApplicationReturned(caseId, applicationId, candidate, "43", "area", "请重新上传清晰的毕业证书。", DateTimeOffset.UtcNow.AddDays(1))
            { Position = new ReviewPosition(2, 3) }, NewId.NextGuid());

        await Eventually.TrueAsync(() => Task.FromResult(receiver.FirstArrivals(Hunan).Count == 5), "the five events", TimeSpan.FromSeconds(30));
        var arrivals = receiver.FirstArrivals(Hunan);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], arrivals.Select(w => w.Sequence));
        var statuses = arrivals.Where(w => w.Type == WebhookEventTypes.StatusChanged).ToList();
        Assert.Equal(["Filling", "Approved", "Returned"], statuses.Select(w => w.Data["status"]!.GetValue<string>()));
        Assert.Equal([new ReviewPosition(2, 0), new ReviewPosition(2, 5), new ReviewPosition(2, 3)], statuses.Select(PositionOf));
        // Both events of one outcome carry its position.
        Assert.Equal(new ReviewPosition(2, 5), PositionOf(arrivals.Single(w => w.Type == WebhookEventTypes.Approved)));
        Assert.Equal(new ReviewPosition(2, 3), PositionOf(arrivals.Single(w => w.Type == WebhookEventTypes.Returned)));

        // The receiver's rule from the guide (§6): per candidate and event type, apply only a position that follows the
        // last one applied. The status it ends with is the approval's; the late return's status change is stale.
        var applied = new Dictionary<string, ReceivedWebhook>();
        foreach (var arrival in arrivals)
        {
            if (!applied.TryGetValue(arrival.Type, out var kept) || PositionOf(arrival).Follows(PositionOf(kept)))
            {
                applied[arrival.Type] = arrival;
            }
        }
        Assert.Equal("Approved", applied[WebhookEventTypes.StatusChanged].Data["status"]!.GetValue<string>());
        Assert.Equal(3, applied.Count);
    }

    [Fact]
    public async Task Plain_http_beyond_loopback_private_addresses_and_unknown_event_types_are_refused_with_stable_codes()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        var hunan = host.Token("hunan-sync", Roles.Province, "43");

        foreach (var url in new[] { "http://sync.hunan-exam.example.cn/hook", "http://202.96.128.86/hook", "http://127.0.0.1.example.cn/hook" })
        {
            var (status, problem) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url, eventTypes = new[] { WebhookEventTypes.Approved } });
            Assert.Equal(422, status);
            Assert.Equal("webhook_url_insecure", problem!["code"]!.GetValue<string>());
            Assert.Contains("HTTPS", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // Inside the platform's network (server-side request forgery): refused whatever the scheme.
        foreach (var url in new[] { "https://10.0.0.5/hook", "http://10.0.0.5/hook", "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/hook" })
        {
            var (status, problem) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url, eventTypes = new[] { WebhookEventTypes.Approved } });
            Assert.Equal(422, status);
            Assert.Equal("webhook_url_forbidden", problem!["code"]!.GetValue<string>());
            Assert.Contains("内网", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var (unknownStatus, unknown) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = "https://sync.example.cn/hook", eventTypes = new[] { "application.deleted" } });
        Assert.Equal(422, unknownStatus);
        Assert.Equal("webhook_event_type_unknown", unknown!["code"]!.GetValue<string>());
        Assert.Equal(201, (await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = "https://sync.example.cn/hook", eventTypes = new[] { WebhookEventTypes.Approved } })).Status);
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Post, Endpoints, host.Token("ops", Roles.Operator), new { url = "https://sync.example.cn/hook", eventTypes = new[] { WebhookEventTypes.Approved } })).Status);
        Assert.Equal(1, await host.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.WebhookEndpoints)));
    }

    private static async Task<Guid> RegisterAsync(NotificationServiceHost host, WebhookTestReceiver receiver, string name, string token, string[] types)
    {
        var (status, created) = await host.SendAsync(HttpMethod.Post, Endpoints, token, new { url = receiver.Url(name), eventTypes = types, description = name });
        Assert.Equal(201, status);
        receiver.Trust(name, created!["secret"]!.GetValue<string>());
        return created["endpoint"]!["id"]!.GetValue<Guid>();
    }

    /// <summary>What each receiver should get per candidate, in order: the types its endpoint subscribed to.</summary>
    private static Dictionary<Guid, List<string>> Expected(Dictionary<(string, Guid), List<string>> all, string name, Guid[] candidates)
    {
        var wanted = name == Guangdong ? GuangdongTypes : [.. WebhookEventTypes.All.Keys];
        return candidates.ToDictionary(c => c, c => all[(name, c)].Where(t => wanted.Contains(t)).ToList());
    }

    private static void AssertArrivals(WebhookTestReceiver receiver, string name, string area, Dictionary<Guid, List<string>> expected)
    {
        var arrivals = receiver.FirstArrivals(name);
        Assert.All(arrivals, w => Assert.NotEmpty(w.VerifiedBy));
        Assert.All(arrivals, w => Assert.Equal(area, w.AreaCode));
        Assert.Equal(expected.Keys.Order(), arrivals.Select(w => w.CandidateId).Distinct().Order());
        foreach (var (candidate, types) in expected)
        {
            var mine = arrivals.Where(w => w.CandidateId == candidate).ToList();
            Assert.Equal(types, mine.Select(w => w.Type));
            Assert.Equal(Enumerable.Range(1, types.Count).Select(i => (long)i), mine.Select(w => w.Sequence));
        }
    }

    private static ReviewPosition PositionOf(ReceivedWebhook webhook) =>
        webhook.Data[WebhookPayloads.ReviewPositionField]!.Deserialize<ReviewPosition>(Web)!;

    /// <summary>Publishes review events the way the platform does and notes the webhook types each should cause.</summary>
    private sealed class Events(NotificationServiceHost host, Dictionary<(string, Guid), List<string>> expected)
    {
        public ApplicationApproved? LastApprovedMessage { get; private set; }

        private void Expect(Guid candidate, string area, params string[] types)
        {
            var name = area == "43" ? Hunan : Guangdong;
            if (!expected.TryGetValue((name, candidate), out var list))
            {
                expected[(name, candidate)] = list = [];
            }
            list.AddRange(types);
        }

        public async Task SubmittedAsync(Guid candidate, string area)
        {
            await host.PublishAsync<ApplicationSubmitted, ApplicationSubmittedWebhookConsumer>(
                new ApplicationSubmitted(Guid.NewGuid(), candidate, "2027" + area + "0001", area, area + "01", 1, [], DateTimeOffset.UtcNow), NewId.NextGuid());
            Expect(candidate, area, WebhookEventTypes.StatusChanged);
        }

        public async Task SiteApprovedAsync(Guid candidate, string area)
        {
            await host.PublishAsync<ApplicationSiteApproved, ApplicationSiteApprovedWebhookConsumer>(
                new ApplicationSiteApproved(Guid.NewGuid(), Guid.NewGuid(), candidate, area, area + "01"), NewId.NextGuid());
            Expect(candidate, area, WebhookEventTypes.StatusChanged);
        }

        public async Task ReturnedAsync(Guid candidate, string area)
        {
            await host.PublishAsync<ApplicationReturned, ApplicationReturnedWebhookConsumer>(
                new ApplicationReturned(Guid.NewGuid(), Guid.NewGuid(), candidate, area, "area", "请重新上传清晰的毕业证书。", DateTimeOffset.UtcNow.AddDays(1)), NewId.NextGuid());
            Expect(candidate, area, WebhookEventTypes.StatusChanged, WebhookEventTypes.Returned);
        }

        public async Task RejectedAsync(Guid candidate, string area)
        {
            await host.PublishAsync<ApplicationRejected, ApplicationRejectedWebhookConsumer>(
                new ApplicationRejected(Guid.NewGuid(), Guid.NewGuid(), candidate, area, "不具备报考资格。"), NewId.NextGuid());
            Expect(candidate, area, WebhookEventTypes.StatusChanged, WebhookEventTypes.Rejected);
        }

        public async Task<Guid> ApprovedAsync(Guid candidate, string area)
        {
            var id = NewId.NextGuid();
            LastApprovedMessage = new ApplicationApproved(Guid.NewGuid(), Guid.NewGuid(), candidate, area);
            await host.PublishAsync<ApplicationApproved, ApplicationApprovedWebhookConsumer>(LastApprovedMessage, id);
            Expect(candidate, area, WebhookEventTypes.StatusChanged, WebhookEventTypes.Approved);
            return id;
        }

        public async Task CorrectedAsync(Guid candidate, string area)
        {
            await host.PublishAsync<RegistrationCorrected, RegistrationCorrectedWebhookConsumer>(
                new RegistrationCorrected(candidate, Guid.NewGuid(), "2027" + area + "0001", area, area + "01", "practitioner-clinical", ["graduationSchool"], "学校名称录入有误", "staff-1", DateTimeOffset.UtcNow),
                NewId.NextGuid());
            Expect(candidate, area, WebhookEventTypes.RegistrationCorrected);
        }

        public async Task ResumedAsync(Guid candidate, string area)
        {
            await host.PublishAsync<ReviewResumed, ReviewResumedWebhookConsumer>(
                new ReviewResumed(Guid.NewGuid(), Guid.NewGuid(), candidate, area, area + "01", "报名信息已更正", DateTimeOffset.UtcNow), NewId.NextGuid());
            Expect(candidate, area, WebhookEventTypes.StatusChanged);
        }
    }
}
