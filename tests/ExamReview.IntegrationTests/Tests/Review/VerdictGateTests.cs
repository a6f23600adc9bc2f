using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// A ✓ is for good, so no reviewer gives one before the image's check passed: on the embedded platform, with the malware
/// scanner holding its verdicts (<see cref="HeldVerdictPlatform"/>), a candidate submits while every image reads 待检测
/// and the site reviewer's 一键通过 is refused, changing nothing; once the verdicts arrive it goes through.
/// </summary>
public sealed class VerdictGateTests(HeldVerdictPlatform platform) : IClassFixture<HeldVerdictPlatform>
{
    private readonly ReviewSteps _steps = new(platform.Client);

    private static IEnumerable<JsonNode> Images(JsonNode view) => view["images"]!.AsArray().Select(i => i!);

    [Fact]
    public async Task Approve_all_is_refused_while_a_verdict_is_pending_and_accepted_once_it_passed()
    {
        platform.HoldVerdicts();
        var client = platform.Client;
        var reviewer = await _steps.SiteReviewerAsync("verdict-" + Guid.NewGuid().ToString("N")[..6]);
        var (candidateId, candidate) = await client.NewCandidateAsync();
        foreach (var type in PlatformClient.PlainCandidateSet)
        {
            await client.UploadAsync(candidateId, candidate, type, ReviewTestImages.Document());
        }
        // 提交审核 takes images still being checked (only a failed one stops it): the backlog of the peak.
        await client.SubmitAsync(candidateId, candidate);
        var caseId = await _steps.WaitForCaseAsync(candidateId, reviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        var before = await _steps.GetCaseAsync(caseId, reviewer);
        Assert.All(Images(before), i => Assert.Equal("Pending", i["check"]!.GetValue<string>()));

        // Straight to the endpoint (ReviewSteps.ApproveAllAsync would wait for the verdicts as a reviewer would).
        var refused = await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/approve-all", reviewer),
            HttpStatusCode.Conflict, "image_check_pending");
        Assert.Equal("图片检测尚未完成，请稍后再审核。", refused["detail"]!.GetValue<string>());
        Assert.Equal(Images(before).Select(i => i["imageId"]!.GetValue<string>()).Order(),
            refused["checkPending"]!.AsArray().Select(i => i!.GetValue<string>()).Order());
        // Nothing changed: not claimed, no image approved, no message sent.
        var unchanged = await _steps.GetCaseAsync(caseId, reviewer);
        Assert.Equal(("SiteReview", before["updatedAt"]!.GetValue<DateTimeOffset>()), (unchanged["state"]!.GetValue<string>(), unchanged["updatedAt"]!.GetValue<DateTimeOffset>()));
        Assert.Null(unchanged["claim"]);
        Assert.All(Images(unchanged), i => Assert.Equal("Pending", i["decision"]!.GetValue<string>()));
        Assert.Equal(["submitted"], ReviewSteps.Kinds(await _steps.TimelineAsync(caseId, reviewer)));
        // One image on its own is refused the same way.
        await _steps.OkAsync(_steps.ClaimAsync(caseId, reviewer));
        var image = Images(unchanged).First()["imageId"]!.GetValue<string>();
        await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/images/{image}/approve", reviewer), HttpStatusCode.Conflict, "image_check_pending");

        platform.ReleaseVerdicts();
        await Eventually.TrueAsync(async () => Images(await _steps.GetCaseAsync(caseId, reviewer)).All(i => i["check"]!.GetValue<string>() == "Passed"),
            "every verdict to reach the review");

        var approved = await _steps.OkAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/approve-all", reviewer));
        Assert.Equal("AreaReview", approved["state"]!.GetValue<string>());
        var application = await Eventually.GetAsync(async () =>
        {
            var view = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
            return view["images"]!.AsArray().All(i => i!["approved"]!.GetValue<bool>()) ? view : null;
        }, "every image approved (✓) in MaterialStorage");
        Assert.All(application["images"]!.AsArray(), i => Assert.Equal("Passed", i!["validation"]!.GetValue<string>()));
    }
}
