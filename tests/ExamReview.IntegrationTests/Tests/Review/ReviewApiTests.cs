using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>The review workflow's API on the embedded platform: claims, per-image decisions, returns, approvals and every refusal.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class ReviewApiTests(EmbeddedPlatform platform)
{
    private readonly ReviewSteps _steps = new(platform.Client);

    private static string Id(Guid id) => id.ToString();

    [Fact]
    public async Task A_claim_is_exclusive_visible_to_others_renewable_and_required_for_decisions()
    {
        var alice = await _steps.SiteReviewerAsync("alice-" + Guid.NewGuid().ToString("N")[..6]);
        var bob = await _steps.SiteReviewerAsync("bob-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(alice);
        var caseId = submitted.CaseId;
        var image = submitted.ImageIds[0];

        var unclaimed = await _steps.GetCaseAsync(caseId, bob);
        Assert.Null(unclaimed["claim"]);
        Assert.Equal("Submitted", unclaimed["stage"]!.GetValue<string>());
        await ReviewSteps.RefusedAsync(_steps.ApproveImageAsync(caseId, image, alice), HttpStatusCode.Conflict, "claim_not_held");

        var claimed = await _steps.OkAsync(_steps.ClaimAsync(caseId, alice));
        var holder = claimed["claim"]!["claimedBy"]!.GetValue<string>();
        Assert.StartsWith("site-alice-", holder, StringComparison.Ordinal);
        Assert.Equal("UnderSiteReview", claimed["stage"]!.GetValue<string>());
        var firstExpiry = claimed["claim"]!["expiresAt"]!.GetValue<DateTimeOffset>();

        // Everyone sees who holds it; only the holder can act on it.
        Assert.Equal(holder, (await _steps.GetCaseAsync(caseId, bob))["claim"]!["claimedBy"]!.GetValue<string>());
        var held = await ReviewSteps.RefusedAsync(_steps.ClaimAsync(caseId, bob), HttpStatusCode.Conflict, "claim_held");
        Assert.Equal(holder, held["claimedBy"]!.GetValue<string>());
        await ReviewSteps.RefusedAsync(_steps.ApproveImageAsync(caseId, image, bob), HttpStatusCode.Conflict, "claim_not_held");
        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, image, bob, "unclear"), HttpStatusCode.Conflict, "claim_not_held");
        await ReviewSteps.RefusedAsync(_steps.ReturnAsync(caseId, bob, "请重新上传"), HttpStatusCode.Conflict, "claim_not_held");
        await ReviewSteps.RefusedAsync(_steps.ApproveAllAsync(caseId, bob), HttpStatusCode.Conflict, "claim_held");
        await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/claim/renew", bob), HttpStatusCode.Conflict, "claim_not_held");
        await ReviewSteps.RefusedAsync(platform.Client.SendAsync(HttpMethod.Delete, ReviewSteps.Service, $"/api/v1/reviews/cases/{caseId}/claim", bob),
            HttpStatusCode.Conflict, "claim_not_held");

        // The queue shows the claim: "mine" for the holder only, "claimed" for everyone.
        await _steps.WaitForCaseAsync(submitted.CandidateId, alice, _ => true, "&mine=true");
        var bobsQueue = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/cases?mine=true", bob);
        Assert.DoesNotContain(bobsQueue["items"]!.AsArray(), c => c!["caseId"]!.GetValue<string>() == Id(caseId));
        await _steps.WaitForCaseAsync(submitted.CandidateId, bob, c => c["claim"] is not null, "&claimed=true");

        var renewed = await _steps.OkAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/claim/renew", alice));
        Assert.True(renewed["claim"]!["expiresAt"]!.GetValue<DateTimeOffset>() >= firstExpiry);

        await _steps.OkAsync(platform.Client.SendAsync(HttpMethod.Delete, ReviewSteps.Service, $"/api/v1/reviews/cases/{caseId}/claim", alice));
        await ReviewSteps.RefusedAsync(_steps.ApproveImageAsync(caseId, image, alice), HttpStatusCode.Conflict, "claim_not_held");
        await _steps.OkAsync(_steps.ClaimAsync(caseId, bob));

        // Scope and level: another site cannot claim; an area reviewer cannot claim a case still at site level.
        await ReviewSteps.RefusedAsync(_steps.ClaimAsync(caseId, await _steps.SiteReviewerAsync("carol", "4302")), HttpStatusCode.NotFound, "case_not_found");
        await ReviewSteps.RefusedAsync(_steps.ClaimAsync(caseId, await _steps.AreaReviewerAsync("dave")), HttpStatusCode.Conflict, "not_reviewable");
        await ReviewSteps.RefusedAsync(_steps.ClaimAsync(Guid.NewGuid(), bob), HttpStatusCode.NotFound, "case_not_found");

        var timeline = await _steps.TimelineAsync(caseId, bob);
        Assert.Equal(["submitted", "claimed", "claim-renewed", "claim-released", "claimed"], ReviewSteps.Kinds(timeline));
        Assert.Equal(holder, timeline[1]["actor"]!.GetValue<string>());
        Assert.All(timeline, e => Assert.True(e["at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-10)));
    }

    [Fact]
    public async Task Per_image_decisions_gate_the_approval_and_a_return_sends_one_batched_unlock()
    {
        var reviewer = await _steps.SiteReviewerAsync("erin-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(reviewer);
        var (caseId, images) = (submitted.CaseId, submitted.ImageIds);
        Assert.Equal(PlatformClient.PlainCandidateSet.Length, images.Count);
        await _steps.OkAsync(_steps.ClaimAsync(caseId, reviewer));

        var reasons = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/reason-codes", reviewer);
        Assert.Contains(reasons.AsArray(), r => r!["nameZh"]!.GetValue<string>() == "图片不清晰");
        // The domain assigns check-failed to an image whose check failed; a reviewer is neither offered it nor may pick it.
        Assert.DoesNotContain(reasons.AsArray(), r => r!["code"]!.GetValue<string>() == "check-failed");
        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, images[1], reviewer, "check-failed"), HttpStatusCode.BadRequest, "validation");

        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, images[1], reviewer, "blurry"), HttpStatusCode.BadRequest, "validation");
        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, images[1], reviewer, null), HttpStatusCode.BadRequest, "validation");
        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, images[1], reviewer, "other"), HttpStatusCode.BadRequest, "validation");
        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, images[1], reviewer, "unclear", new string('长', 501)), HttpStatusCode.BadRequest, "validation");
        await ReviewSteps.RefusedAsync(_steps.ApproveImageAsync(caseId, Guid.NewGuid(), reviewer), HttpStatusCode.NotFound, "image_not_found");

        var unreviewed = await ReviewSteps.RefusedAsync(_steps.ApproveAsync(caseId, reviewer), HttpStatusCode.Conflict, "images_not_reviewed");
        Assert.Equal(PlatformClient.PlainCandidateSet.Length, unreviewed["unreviewed"]!.AsArray().Count);

        var afterApprove = await _steps.OkAsync(_steps.ApproveImageAsync(caseId, images[0], reviewer));
        Assert.Equal("Approved", Image(afterApprove, images[0])["decision"]!.GetValue<string>());
        await ReviewSteps.RefusedAsync(_steps.ApproveImageAsync(caseId, images[0], reviewer), HttpStatusCode.Conflict, "image_approved");
        await ReviewSteps.RefusedAsync(_steps.RequestReplacementAsync(caseId, images[0], reviewer, "unclear"), HttpStatusCode.Conflict, "image_approved");

        var afterRequest = await _steps.OkAsync(_steps.RequestReplacementAsync(caseId, images[1], reviewer, "unclear", "反面模糊"));
        var requested = Image(afterRequest, images[1]);
        Assert.Equal("ReplacementRequested", requested["decision"]!.GetValue<string>());
        Assert.Equal("图片不清晰", requested["reason"]!.GetValue<string>());
        foreach (var image in images.Skip(2))
        {
            await _steps.OkAsync(_steps.ApproveImageAsync(caseId, image, reviewer));
        }

        var blocked = await ReviewSteps.RefusedAsync(_steps.ApproveAsync(caseId, reviewer), HttpStatusCode.Conflict, "images_not_reviewed");
        Assert.Equal([Id(images[1])], blocked["awaitingReplacement"]!.AsArray().Select(i => i!.GetValue<string>()));
        await ReviewSteps.RefusedAsync(_steps.ApproveAllAsync(caseId, reviewer), HttpStatusCode.Conflict, "images_awaiting_replacement");

        await ReviewSteps.RefusedAsync(_steps.ReturnAsync(caseId, reviewer, "x", [Guid.NewGuid()]), HttpStatusCode.UnprocessableEntity, "unknown_images");
        await ReviewSteps.RefusedAsync(_steps.ReturnAsync(caseId, reviewer, "x", [images[0]]), HttpStatusCode.Conflict, "image_approved");
        await ReviewSteps.RefusedAsync(_steps.ReturnAsync(caseId, reviewer, new string('长', 2001)), HttpStatusCode.BadRequest, "validation");

        var before = DateTimeOffset.UtcNow;
        var returned = await _steps.OkAsync(_steps.ReturnAsync(caseId, reviewer, "请按要求更换图片"));
        Assert.Equal("Returned", returned["state"]!.GetValue<string>());
        Assert.Null(returned["claim"]);
        var respondBy = returned["respondBy"]!.GetValue<DateTimeOffset>();
        Assert.InRange(respondBy, before.AddHours(24).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        var feedback = returned["feedback"]!.GetValue<string>();
        Assert.Contains("请按要求更换图片", feedback, StringComparison.Ordinal);
        Assert.Contains("图片不清晰（反面模糊）", feedback, StringComparison.Ordinal);
        Assert.False(returned["overdue"]!.GetValue<bool>());

        // Nothing more can be decided on a returned case.
        await ReviewSteps.RefusedAsync(_steps.ReturnAsync(caseId, reviewer, "again"), HttpStatusCode.Conflict, "illegal_transition");
        await ReviewSteps.RefusedAsync(_steps.ApproveAsync(caseId, reviewer), HttpStatusCode.Conflict, "illegal_transition");
        await ReviewSteps.RefusedAsync(_steps.ClaimAsync(caseId, reviewer), HttpStatusCode.Conflict, "not_reviewable");

        // MaterialStorage: ✓ on the approved images, the one to replace unlocked, the application returned with the feedback.
        var application = await Eventually.GetAsync(async () =>
        {
            var view = await platform.Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{submitted.CandidateId}", submitted.CandidateToken);
            return view["state"]!.GetValue<string>() == "Returned" ? view : null;
        }, "the application to be returned in MaterialStorage");
        Assert.Equal(feedback, application["feedback"]!.GetValue<string>());
        foreach (var image in application["images"]!.AsArray())
        {
            var expected = image!["imageId"]!.GetValue<string>() == Id(images[1]) ? "ReplacementRequested" : "Approved";
            Assert.Equal(expected, image["review"]!.GetValue<string>());
        }

        var timeline = await _steps.TimelineAsync(caseId, reviewer);
        var kinds = ReviewSteps.Kinds(timeline);
        Assert.Equal(images.Count - 1, kinds.Count(k => k == "image-approved"));
        Assert.Single(kinds, k => k == "image-replacement-requested");
        Assert.Single(kinds, k => k == "returned-site");
        var unlocks = timeline.Where(e => e["kind"]!.GetValue<string>() == "message-sent" && e["detail"]!.GetValue<string>().StartsWith("UnlockMaterials", StringComparison.Ordinal)).ToList();
        Assert.Single(unlocks);
        Assert.Contains(Id(images[1]), unlocks[0]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(images.Count - 1, timeline.Count(e => e["kind"]!.GetValue<string>() == "message-sent" && e["detail"]!.GetValue<string>().StartsWith("ApproveMaterials", StringComparison.Ordinal)));
        ReviewSteps.AssertReadsInChinese(timeline);
        Assert.Contains("（北京时间）", timeline.Single(e => e["kind"]!.GetValue<string>() == "returned-site")["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_with_no_image_marked_needs_feedback()
    {
        var reviewer = await _steps.SiteReviewerAsync("frank-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(reviewer);
        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, reviewer));
        await ReviewSteps.RefusedAsync(_steps.ReturnAsync(submitted.CaseId, reviewer, "  "), HttpStatusCode.BadRequest, "validation");
        var view = await _steps.GetCaseAsync(submitted.CaseId, reviewer);
        Assert.Equal("SiteReview", view["state"]!.GetValue<string>());
        Assert.Single(await _steps.TimelineAsync(submitted.CaseId, reviewer), e => e["kind"]!.GetValue<string>() == "claimed");
    }

    [Fact]
    public async Task Bulk_approve_approves_fully_reviewed_cases_and_reports_each_refusal()
    {
        var reviewer = await _steps.SiteReviewerAsync("grace-" + Guid.NewGuid().ToString("N")[..6]);
        var other = await _steps.SiteReviewerAsync("heidi-" + Guid.NewGuid().ToString("N")[..6]);
        var reviewed = await _steps.SubmitNewAsync(reviewer);
        var unreviewed = await _steps.SubmitNewAsync(reviewer);
        var heldByOther = await _steps.SubmitNewAsync(reviewer);

        await _steps.OkAsync(_steps.ClaimAsync(reviewed.CaseId, reviewer));
        foreach (var image in reviewed.ImageIds)
        {
            await _steps.OkAsync(_steps.ApproveImageAsync(reviewed.CaseId, image, reviewer));
        }
        await _steps.OkAsync(platform.Client.SendAsync(HttpMethod.Delete, ReviewSteps.Service, $"/api/v1/reviews/cases/{reviewed.CaseId}/claim", reviewer));
        await _steps.OkAsync(_steps.ClaimAsync(heldByOther.CaseId, other));
        foreach (var image in heldByOther.ImageIds)
        {
            await _steps.OkAsync(_steps.ApproveImageAsync(heldByOther.CaseId, image, other));
        }

        await ReviewSteps.RefusedAsync(_steps.PostAsync("/api/v1/reviews/cases/bulk-approve", reviewer, new { caseIds = Array.Empty<Guid>() }), HttpStatusCode.BadRequest, "validation");
        await ReviewSteps.RefusedAsync(_steps.PostAsync("/api/v1/reviews/cases/bulk-approve", reviewer, new { caseIds = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()) }),
            HttpStatusCode.BadRequest, "validation");

        var unknown = Guid.NewGuid();
        var result = await _steps.OkAsync(_steps.PostAsync("/api/v1/reviews/cases/bulk-approve", reviewer,
            new { caseIds = new[] { reviewed.CaseId, unreviewed.CaseId, heldByOther.CaseId, unknown } }));
        Assert.Equal(1, result["approved"]!.GetValue<int>());
        Assert.Equal(3, result["refused"]!.GetValue<int>());
        var outcomes = result["results"]!.AsArray().ToDictionary(r => Guid.Parse(r!["caseId"]!.GetValue<string>()), r => r!["code"]?.GetValue<string>());
        Assert.Null(outcomes[reviewed.CaseId]);
        Assert.Equal("images_not_reviewed", outcomes[unreviewed.CaseId]);
        Assert.Equal("claim_held", outcomes[heldByOther.CaseId]);
        Assert.Equal("case_not_found", outcomes[unknown]);

        Assert.Equal("AreaReview", (await _steps.GetCaseAsync(reviewed.CaseId, reviewer))["state"]!.GetValue<string>());
        Assert.Equal("SiteReview", (await _steps.GetCaseAsync(unreviewed.CaseId, reviewer))["state"]!.GetValue<string>());
        await platform.Client.WaitForStatusAsync(reviewed.CandidateToken, "考点通过");
    }

    [Fact]
    public async Task Area_review_can_reject_only_with_a_reason_and_the_claim()
    {
        var site = await _steps.SiteReviewerAsync("ivan-" + Guid.NewGuid().ToString("N")[..6]);
        var area = await _steps.AreaReviewerAsync("judy-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(site);
        var approvedAtSite = await _steps.OkAsync(_steps.ApproveAllAsync(submitted.CaseId, site));
        Assert.Equal("AreaReview", approvedAtSite["state"]!.GetValue<string>());
        Assert.Equal("SiteApproved", approvedAtSite["stage"]!.GetValue<string>());
        Assert.All(approvedAtSite["images"]!.AsArray(), i => Assert.Equal("Approved", i!["decision"]!.GetValue<string>()));

        var reject = $"/api/v1/reviews/cases/{submitted.CaseId}/reject";
        using (var bySite = await _steps.PostAsync(reject, site, new { reason = "x" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bySite.StatusCode);
        }
        await ReviewSteps.RefusedAsync(_steps.PostAsync(reject, area, new { reason = "" }), HttpStatusCode.BadRequest, "validation");
        await ReviewSteps.RefusedAsync(_steps.PostAsync(reject, area, new { reason = "不符合报考条件" }), HttpStatusCode.Conflict, "claim_not_held");
        await ReviewSteps.RefusedAsync(_steps.ApproveAsync(submitted.CaseId, site), HttpStatusCode.Conflict, "illegal_transition");

        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, area));
        var rejected = await _steps.OkAsync(_steps.PostAsync(reject, area, new { reason = "不符合报考条件" }));
        Assert.Equal("Rejected", rejected["state"]!.GetValue<string>());
        await ReviewSteps.RefusedAsync(_steps.PostAsync(reject, area, new { reason = "again" }), HttpStatusCode.Conflict, "illegal_transition");
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "审核拒绝");
    }

    [Fact]
    public async Task The_queue_filters_and_pages_by_keyset_and_refuses_bad_parameters()
    {
        var reviewer = await _steps.SiteReviewerAsync("ken-" + Guid.NewGuid().ToString("N")[..6]);
        var first = await _steps.SubmitNewAsync(reviewer);

        await _steps.WaitForCaseAsync(first.CandidateId, reviewer, c => c["examCategory"]?.GetValue<string>() == "practitioner-clinical", "&category=practitioner-clinical");
        var otherCategory = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/cases?category=assistant-dental&limit=200", reviewer);
        Assert.DoesNotContain(otherCategory["items"]!.AsArray(), c => c!["caseId"]!.GetValue<string>() == Id(first.CaseId));
        Assert.All(otherCategory["items"]!.AsArray(), c => Assert.Equal("assistant-dental", c!["examCategory"]!.GetValue<string>()));
        // A category no registration can have is a mistake, not an empty queue.
        var unknownCategory = await ReviewSteps.RefusedAsync(platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service, "/api/v1/reviews/cases?category=no-such-category", reviewer),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("practitioner-clinical", unknownCategory["errors"]!["category"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var resubmittedOnly = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/cases?resubmitted=true&limit=200", reviewer);
        Assert.DoesNotContain(resubmittedOnly["items"]!.AsArray(), c => c!["caseId"]!.GetValue<string>() == Id(first.CaseId));
        var overdueOnly = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/cases?overdue=true&limit=200", reviewer);
        Assert.All(overdueOnly["items"]!.AsArray(), c => Assert.True(c!["overdue"]!.GetValue<bool>()));
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        Assert.Empty((await platform.Client.GetJsonAsync(ReviewSteps.Service, $"/api/v1/reviews/cases?submittedFrom={future}", reviewer))["items"]!.AsArray());

        // Keyset paging, one case per page through the whole site-review queue (this case and the other tests' cases): no case twice, in (submittedAt, id) order.
        var seen = new List<(DateTimeOffset SubmittedAt, string CaseId)>();
        string? cursor = null;
        do
        {
            var body = await platform.Client.GetJsonAsync(ReviewSteps.Service,
                "/api/v1/reviews/cases?state=SiteReview&limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), reviewer);
            var item = Assert.Single(body["items"]!.AsArray());
            seen.Add((item!["submittedAt"]!.GetValue<DateTimeOffset>(), item["caseId"]!.GetValue<string>()));
            cursor = body["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && seen.Count < 500);
        Assert.Null(cursor);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderBy(s => s.SubmittedAt).ThenBy(s => Guid.Parse(s.CaseId)).Select(s => s.SubmittedAt), seen.Select(s => s.SubmittedAt));
        Assert.Contains(seen, s => s.CaseId == Id(first.CaseId));

        foreach (var bad in new[] { "state=Nope", "cursor=not-a-cursor", "submittedFrom=2027-02-01T00:00:00Z&submittedTo=2027-01-01T00:00:00Z" })
        {
            await ReviewSteps.RefusedAsync(platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service, "/api/v1/reviews/cases?" + bad, reviewer),
                HttpStatusCode.BadRequest, "validation");
        }
        using var malformed = await platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service, "/api/v1/reviews/cases?overdue=perhaps", reviewer);
        await PlatformClient.ProblemAsync(malformed, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Operators_read_metrics_and_reviewers_cannot()
    {
        var reviewer = await _steps.SiteReviewerAsync("leo-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(reviewer);
        await _steps.OkAsync(_steps.ApproveAllAsync(submitted.CaseId, reviewer));
        var actor = (await _steps.TimelineAsync(submitted.CaseId, reviewer)).Last(e => e["kind"]!.GetValue<string>() == "site-approved")["actor"]!.GetValue<string>();

        using (var forbidden = await platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service, "/api/v1/reviews/metrics", reviewer))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        var @operator = await platform.Client.OperatorTokenAsync();
        await ReviewSteps.RefusedAsync(platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service,
            "/api/v1/reviews/metrics?from=2027-02-01T00:00:00Z&to=2027-01-01T00:00:00Z", @operator), HttpStatusCode.BadRequest, "validation");

        var metrics = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/metrics?areaCode=43", @operator);
        var byStatus = metrics["casesByStatus"]!.AsArray();
        Assert.Contains(byStatus, s => s!["siteCode"]!.GetValue<string>() == "4301" && s["state"]!.GetValue<string>() == "AreaReview" && s["count"]!.GetValue<int>() >= 1);
        Assert.All(byStatus, s => Assert.Equal("43", s!["areaCode"]!.GetValue<string>()));
        Assert.True(metrics["timeToFirstReview"]!["count"]!.GetValue<int>() >= 1);
        Assert.True(metrics["timeToFirstReview"]!["p90Seconds"]!.GetValue<double>() >= metrics["timeToFirstReview"]!["medianSeconds"]!.GetValue<double>());
        Assert.True(metrics["casesReviewed"]!.GetValue<int>() >= 1);
        var mine = Assert.Single(metrics["throughputPerReviewer"]!.AsArray(), t => t!["reviewer"]!.GetValue<string>() == actor);
        Assert.Equal(1, mine!["approvals"]!.GetValue<int>());
        Assert.Equal(submitted.ImageIds.Count, mine["imageDecisions"]!.GetValue<int>());
    }

    private static JsonNode Image(JsonNode view, Guid imageId) =>
        view["images"]!.AsArray().Single(i => i!["imageId"]!.GetValue<string>() == imageId.ToString())!;
}
