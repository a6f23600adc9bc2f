using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Materials;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// Continuous mode without gaps (replacements link to what they replace, missing materials need a recorded
/// override, uploads after 考点通过 reach the area reviewer) and a human look before every decision.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class ContinuousReviewTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);
    private readonly ReviewSteps _review = new(platform.Client);

    private async Task<(Candidate Candidate, string SiteReviewer, string AreaReviewer)> ContinuousCandidateAsync()
    {
        var (area, site) = await _steps.NewAreaAsync();
        await _steps.PutSettingsAsync(area, "continuous");
        var candidate = await _steps.RegisterAsync(area, site);
        var siteReviewer = await platform.Client.TokenAsync(new { subject = $"site-{site}", role = "site-reviewer", site });
        var areaReviewer = await platform.Client.TokenAsync(new { subject = $"area-{area}", role = "area-reviewer", area });
        return (candidate, siteReviewer, areaReviewer);
    }

    private Task<JsonNode> WaitForCaseViewAsync(Guid caseId, string token, Func<JsonNode, bool> ready, string what) =>
        Eventually.GetAsync(async () =>
        {
            var view = await _review.GetCaseAsync(caseId, token);
            return ready(view) ? view : null;
        }, what);

    private static IEnumerable<JsonNode> Images(JsonNode view) => view["images"]!.AsArray().Select(i => i!);

    private static string Id(JsonNode image) => image["imageId"]!.GetValue<string>();

    [Fact]
    public async Task Replacing_requested_images_links_each_to_what_it_replaces_so_nothing_stale_blocks_the_approval()
    {
        var (candidate, reviewer, _) = await ContinuousCandidateAsync();
        var first = await _steps.UploadOkAsync(candidate, "id-card");
        var second = await _steps.UploadOkAsync(candidate, "id-card");
        var caseId = await _steps.WaitForCaseAsync(candidate.Id, reviewer);
        await WaitForCaseViewAsync(caseId, reviewer, v => Images(v).Count() == 2, "both uploads to join the case");

        await _review.OkAsync(_review.ClaimAsync(caseId, reviewer));
        await _review.OkAsync(_review.RequestReplacementAsync(caseId, first, reviewer, "unclear"));
        await _review.OkAsync(_review.RequestReplacementAsync(caseId, second, reviewer, "expired"));
        await _review.OkAsync(_review.ReturnAsync(caseId, reviewer, null));
        await Eventually.TrueAsync(async () => (await _steps.ApplicationAsync(candidate))["state"]!.GetValue<string>() == "Returned", "the return");

        // The first replacement is the round's submission; the second arrives while the case is already back in review.
        Guid Replaced(JsonNode body) => Guid.Parse(body["imageId"]!.GetValue<string>());
        var newFirst = Replaced(await _review.OkAsync(_steps.ReplaceAsync(candidate, first, MaterialImages.Document())));
        var newSecond = Replaced(await _review.OkAsync(_steps.ReplaceAsync(candidate, second, MaterialImages.Document())));

        var view = await WaitForCaseViewAsync(caseId, reviewer,
            v => Images(v).Select(Id).ToHashSet().SetEquals([newFirst.ToString(), newSecond.ToString()]), "both replacements to join the case");
        Assert.All(Images(view), i =>
        {
            Assert.Equal("Pending", i["decision"]!.GetValue<string>());
            Assert.Equal("ReplacementRequested", i["previousDecision"]!.GetValue<string>());
        });
        Assert.Equal(second.ToString(), Images(view).Single(i => Id(i) == newSecond.ToString())["replacesImageId"]!.GetValue<string>());
        Assert.DoesNotContain(view["imageIds"]!.AsArray(), i => i!.GetValue<string>() == first.ToString() || i!.GetValue<string>() == second.ToString());

        // Both replacements reviewed: only the materials still missing stand between the reviewer and 考点通过.
        await _review.OkAsync(_review.ClaimAsync(caseId, reviewer));
        await _review.OkAsync(_review.ApproveImageAsync(caseId, newFirst, reviewer));
        await _review.OkAsync(_review.ApproveImageAsync(caseId, newSecond, reviewer));
        await ReviewSteps.RefusedAsync(_review.ApproveAsync(caseId, reviewer), HttpStatusCode.Conflict, "materials_missing");
    }

    [Fact]
    public async Task Passing_with_missing_materials_needs_an_explicit_recorded_override_and_later_uploads_reach_the_area_reviewer()
    {
        var (candidate, siteReviewer, areaReviewer) = await ContinuousCandidateAsync();
        var image = await _steps.UploadOkAsync(candidate, "id-card");
        var caseId = await _steps.WaitForCaseAsync(candidate.Id, siteReviewer);
        var view = await WaitForCaseViewAsync(caseId, siteReviewer, v => v["missingMaterials"]!.AsArray().Count > 0, "the missing materials to be known");
        Assert.Contains(view["missingMaterials"]!.AsArray(), m => m!.GetValue<string>() == "有效身份证明");

        await _review.OkAsync(_review.ClaimAsync(caseId, siteReviewer));
        await _review.OkAsync(_review.ApproveImageAsync(caseId, image, siteReviewer));
        var refused = await ReviewSteps.RefusedAsync(_review.ApproveAsync(caseId, siteReviewer), HttpStatusCode.Conflict, "materials_missing");
        Assert.Contains("有效身份证明", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ReviewSteps.RefusedAsync(_review.ApproveAllAsync(caseId, siteReviewer), HttpStatusCode.Conflict, "materials_missing");
        // An override without a reason is no override.
        await ReviewSteps.RefusedAsync(_review.PostAsync($"/api/v1/reviews/cases/{caseId}/approve", siteReviewer, new { overrideMissingMaterials = true }),
            HttpStatusCode.Conflict, "materials_missing");

        await _review.OkAsync(_review.PostAsync($"/api/v1/reviews/cases/{caseId}/approve", siteReviewer,
            new { overrideMissingMaterials = true, overrideReason = "考生已到考点现场核验原件" }));
        var timeline = await _review.TimelineAsync(caseId, siteReviewer);
        var overridden = timeline.Single(e => e["kind"]!.GetValue<string>() == "missing-materials-overridden");
        Assert.Contains("考生已到考点现场核验原件", overridden["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("有效身份证明", overridden["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // The decision names who claimed and who decided.
        var passed = timeline.Single(e => e["kind"]!.GetValue<string>() == "site-approved");
        var decider = passed["actor"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(decider));
        Assert.StartsWith($"{decider} 于 ", passed["detail"]!.GetValue<string>(), StringComparison.Ordinal); // the one who held the claim
        Assert.EndsWith("（北京时间）认领", passed["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        ReviewSteps.AssertReadsInChinese(timeline);

        // The candidate's page reads 考点通过, and keeps reading it while later uploads go to the area reviewer.
        await Eventually.TrueAsync(async () => (await _steps.ApplicationAsync(candidate))["stateLabel"]!.GetValue<string>() == "考点通过", "the page to read 考点通过");

        // After 考点通过 the next upload joins the case where it now waits: with the area reviewer.
        var later = await _steps.UploadOkAsync(candidate, "id-card");
        var afterUpload = await _steps.ApplicationAsync(candidate);
        Assert.Equal(("SitePassed", "考点通过", false), (afterUpload["state"]!.GetValue<string>(), afterUpload["stateLabel"]!.GetValue<string>(),
            afterUpload["locked"]!.GetValue<bool>()));
        var areaView = await WaitForCaseViewAsync(caseId, areaReviewer, v => Images(v).Any(i => Id(i) == later.ToString()), "the later upload to reach area review");
        Assert.Equal("AreaReview", areaView["state"]!.GetValue<string>());
        Assert.Equal("Pending", Images(areaView).Single(i => Id(i) == later.ToString())["decision"]!.GetValue<string>());
        await _review.WaitForCaseAsync(candidate.Id, areaReviewer, c => c["state"]!.GetValue<string>() == "AreaReview");
    }

    [Fact]
    public async Task Bulk_approval_at_area_level_takes_only_cases_the_reviewer_claimed_or_opened()
    {
        var siteReviewer = await _review.SiteReviewerAsync("bulk-" + Guid.NewGuid().ToString("N")[..6]);
        var areaReviewer = await _review.AreaReviewerAsync("bulk-" + Guid.NewGuid().ToString("N")[..6]);
        var looked = await _review.SubmitNewAsync(siteReviewer);
        var unseen = await _review.SubmitNewAsync(siteReviewer);
        var opened = await _review.SubmitNewAsync(siteReviewer);
        await _review.ReviewAndApproveAsync(looked.CaseId, siteReviewer);
        await _review.ReviewAndApproveAsync(unseen.CaseId, siteReviewer);
        await _review.ReviewAndApproveAsync(opened.CaseId, siteReviewer);
        await _review.GetCaseAsync(opened.CaseId, areaReviewer); // opening the case is a look too, recorded once
        await _review.GetCaseAsync(opened.CaseId, areaReviewer);
        Assert.Single(ReviewSteps.Kinds(await _review.TimelineAsync(opened.CaseId, areaReviewer)), k => k == "opened");

        // The area reviewer looks at one case (claims it) and lets the claim go; the other is never opened.
        await _review.OkAsync(_review.ClaimAsync(looked.CaseId, areaReviewer));
        using (var release = await platform.Client.SendAsync(HttpMethod.Delete, ReviewSteps.Service, $"/api/v1/reviews/cases/{looked.CaseId}/claim", areaReviewer))
        {
            Assert.True(release.IsSuccessStatusCode, $"releasing the claim answered {(int)release.StatusCode}");
        }

        var result = await _review.OkAsync(_review.PostAsync("/api/v1/reviews/cases/bulk-approve", areaReviewer,
            new { caseIds = new[] { looked.CaseId, unseen.CaseId, opened.CaseId } }));
        var outcomes = result["results"]!.AsArray().ToDictionary(r => r!["caseId"]!.GetValue<string>(), r => r!);
        Assert.True(outcomes[looked.CaseId.ToString()]["approved"]!.GetValue<bool>());
        Assert.True(outcomes[opened.CaseId.ToString()]["approved"]!.GetValue<bool>());
        Assert.False(outcomes[unseen.CaseId.ToString()]["approved"]!.GetValue<bool>());
        Assert.Equal("not_looked_at", outcomes[unseen.CaseId.ToString()]["code"]!.GetValue<string>());

        var decided = (await _review.TimelineAsync(looked.CaseId, areaReviewer)).Single(e => e["kind"]!.GetValue<string>() == "area-approved");
        Assert.StartsWith("area-bulk-", decided["actor"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
