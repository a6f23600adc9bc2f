using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.Imaging;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Review;
using Generated = ExamReview.ImageValidation.Tests.TestImages;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// What the candidate's upload page shows at each step: locks per image after 提交审核, the feedback to act on
/// (Chinese material names, gone after approval), a rejection with its reason, and help with too-large photos.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class CandidateViewTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);
    private readonly ReviewSteps _review = new(platform.Client);

    private async Task<Candidate> SubmittedAsync()
    {
        var candidate = await _steps.RegisterAsync();
        foreach (var type in PlatformClient.PlainCandidateSet)
        {
            await _steps.UploadOkAsync(candidate, type);
        }
        await _review.WaitForChecksAsync(candidate.Id, candidate.Token);
        using var submit = await _steps.SubmitAsync(candidate);
        await PlatformClient.EnsureAsync(submit, HttpStatusCode.OK);
        return candidate;
    }

    private Task<JsonNode> WaitForStateAsync(Candidate candidate, string state) =>
        Eventually.GetAsync(async () =>
        {
            var view = await _steps.ApplicationAsync(candidate);
            return view["state"]!.GetValue<string>() == state ? view : null;
        }, $"the application to reach {state}");

    [Fact]
    public async Task After_submit_every_image_reads_locked_in_the_image_list_and_the_checklist()
    {
        var candidate = await SubmittedAsync();
        var view = await _steps.ApplicationAsync(candidate);

        Assert.All(view["images"]!.AsArray(), i =>
        {
            Assert.True(i!["locked"]!.GetValue<bool>());
            Assert.Equal(("Locked", "已锁定"), (i["lockState"]!.GetValue<string>(), i["lockLabel"]!.GetValue<string>()));
        });
        Assert.All(view["checklist"]!.AsArray(), line => Assert.Equal(line!["uploaded"]!.GetValue<int>(), line["locked"]!.GetValue<int>()));
        Assert.Equal("审核中", view["stateLabel"]!.GetValue<string>());

        // The reviewer's view of the same images reads the same lock.
        var reviewer = await _review.SiteReviewerAsync("locks-" + Guid.NewGuid().ToString("N")[..6]);
        var caseId = await _review.WaitForCaseAsync(candidate.Id, reviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        var reviewed = await Eventually.GetAsync(async () =>
        {
            var reviewCase = await _review.GetCaseAsync(caseId, reviewer);
            return reviewCase["images"]!.AsArray().All(i => i!["lockLabel"]?.GetValue<string>() == "已锁定") ? reviewCase : null;
        }, "the reviewer's view to read every image locked");
        Assert.Equal(view["images"]!.AsArray().Count, reviewed["images"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_feedback_names_materials_in_chinese_leaves_after_resubmission_and_approval_and_a_rejection_shows_its_reason()
    {
        var siteReviewer = await _review.SiteReviewerAsync("view-" + Guid.NewGuid().ToString("N")[..6]);
        var candidate = await SubmittedAsync();
        var caseId = await _review.WaitForCaseAsync(candidate.Id, siteReviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        var images = (await _steps.ApplicationAsync(candidate))["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();

        await _review.OkAsync(_review.ClaimAsync(caseId, siteReviewer));
        await _review.OkAsync(_review.RequestReplacementAsync(caseId, images[0], siteReviewer, "unclear", "反面"));
        await _review.OkAsync(_review.ReturnAsync(caseId, siteReviewer, "请按要求重新上传"));

        var returned = await WaitForStateAsync(candidate, "Returned");
        var feedback = returned["feedback"]!.GetValue<string>();
        Assert.Contains("有效身份证明图片：图片不清晰（反面）", feedback, StringComparison.Ordinal);
        Assert.DoesNotContain("id-card", feedback, StringComparison.Ordinal);
        Assert.Equal("退回修改", returned["stateLabel"]!.GetValue<string>());

        using (var replaced = await _steps.ReplaceAsync(candidate, images[0], MaterialImages.Document()))
        {
            await PlatformClient.EnsureAsync(replaced, HttpStatusCode.OK);
        }
        await _review.WaitForChecksAsync(candidate.Id, candidate.Token);
        using (var resubmit = await _steps.SubmitAsync(candidate))
        {
            await PlatformClient.EnsureAsync(resubmit, HttpStatusCode.OK);
        }
        // Nothing to act on while the resubmission is reviewed: the old feedback is not shown any more.
        Assert.Null((await _steps.ApplicationAsync(candidate))["feedback"]);

        await _review.WaitForCaseAsync(candidate.Id, siteReviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        await _review.ReviewAndApproveAsync(caseId, siteReviewer);
        var areaReviewer = await _review.AreaReviewerAsync("reject-" + Guid.NewGuid().ToString("N")[..6]);
        await _review.OkAsync(_review.ClaimAsync(caseId, areaReviewer));
        await _review.OkAsync(_review.PostAsync($"/api/v1/reviews/cases/{caseId}/reject", areaReviewer, new { reason = "学历不符合报考条件" }));

        var rejected = await WaitForStateAsync(candidate, "Rejected");
        Assert.Equal("学历不符合报考条件", rejected["feedback"]!.GetValue<string>());
        Assert.Equal("审核拒绝", rejected["stateLabel"]!.GetValue<string>());
        Assert.True(rejected["locked"]!.GetValue<bool>());
        using var late = await _steps.UploadAsync(candidate, "registration-notice", MaterialImages.Document());
        Assert.Equal("application_locked", await MaterialSteps.CodeAsync(late, HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task After_approval_no_feedback_is_shown_and_every_image_reads_approved()
    {
        var siteReviewer = await _review.SiteReviewerAsync("ok-" + Guid.NewGuid().ToString("N")[..6]);
        var candidate = await SubmittedAsync();
        var caseId = await _review.WaitForCaseAsync(candidate.Id, siteReviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        await _review.OkAsync(_review.ClaimAsync(caseId, siteReviewer));
        await _review.OkAsync(_review.ReturnAsync(caseId, siteReviewer, "请补充说明"));
        await WaitForStateAsync(candidate, "Returned");
        using (var resubmit = await _steps.SubmitAsync(candidate))
        {
            await PlatformClient.EnsureAsync(resubmit, HttpStatusCode.OK);
        }
        await _review.WaitForCaseAsync(candidate.Id, siteReviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        await _review.ReviewAndApproveAsync(caseId, siteReviewer);
        await _review.ReviewAndApproveAsync(caseId, await _review.AreaReviewerAsync("ok-" + Guid.NewGuid().ToString("N")[..6]));

        var approved = await WaitForStateAsync(candidate, "Approved");
        Assert.Null(approved["feedback"]);
        Assert.Equal("审核通过", approved["stateLabel"]!.GetValue<string>());
        Assert.All(approved["images"]!.AsArray(), i => Assert.Equal("已通过", i!["lockLabel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_too_large_photo_is_told_the_platform_can_shrink_it_and_a_replacement_accepts_normalise()
    {
        VipsRuntime.Initialise();
        var candidate = await _steps.RegisterAsync();
        var phonePhoto = Generated.DocumentJpeg(3000, 4000, noise: 10, quality: 90);

        using (var tooLarge = await _steps.UploadAsync(candidate, "graduation-certificate", phonePhoto))
        {
            var problem = await PlatformClient.ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("file_too_large", problem["code"]!.GetValue<string>());
            Assert.Contains("平台可以替您压缩照片", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("normalise=true", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(problem["normaliseAvailable"]!.GetValue<bool>());
        }

        var image = await _steps.UploadOkAsync(candidate, "graduation-certificate");
        using (var plain = await _steps.ReplaceAsync(candidate, image, phonePhoto))
        {
            Assert.Equal("file_too_large", await MaterialSteps.CodeAsync(plain, HttpStatusCode.RequestEntityTooLarge));
        }
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(phonePhoto), "file", "IMG_0002.JPG" },
            { new StringContent("true"), "normalise" },
        };
        using var replaced = await platform.Client.SendAsync(HttpMethod.Put, MaterialSteps.Materials,
            $"/api/v1/materials/candidates/{candidate.Id}/images/{image}", candidate.Token, form);
        await PlatformClient.EnsureAsync(replaced, HttpStatusCode.OK);
        var view = (await replaced.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("image/jpeg", view["contentType"]!.GetValue<string>());
        Assert.True(view["length"]!.GetValue<long>() <= 200 * 1024);
        Assert.NotEqual(image.ToString(), view["imageId"]!.GetValue<string>());
    }
}
