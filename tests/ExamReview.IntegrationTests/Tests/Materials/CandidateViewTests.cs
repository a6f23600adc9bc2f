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

    private static Dictionary<string, string> LockLabels(JsonNode view) =>
        view["images"]!.AsArray().ToDictionary(i => i!["imageId"]!.GetValue<string>(), i => i!["lockLabel"]?.GetValue<string>() ?? "(none)");

    [Fact]
    public async Task Each_images_lock_reads_the_same_in_the_candidates_view_the_case_and_every_decision_response()
    {
        var reviewer = await _review.SiteReviewerAsync("same-" + Guid.NewGuid().ToString("N")[..6]);
        var candidate = await SubmittedAsync();
        var caseId = await _review.WaitForCaseAsync(candidate.Id, reviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        await Eventually.GetAsync(async () =>
        {
            var reviewCase = await _review.GetCaseAsync(caseId, reviewer);
            return reviewCase["images"]!.AsArray().All(i => i!["lockLabel"]?.GetValue<string>() == "已锁定") ? reviewCase : null;
        }, "the case to read every image locked after 提交审核");

        var claimed = await _review.OkAsync(_review.ClaimAsync(caseId, reviewer));
        Assert.All(LockLabels(claimed).Values, label => Assert.Equal("已锁定", label));

        var images = claimed["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();
        var approved = await _review.OkAsync(_review.ApproveImageAsync(caseId, images[0], reviewer));
        Assert.Equal("已通过", LockLabels(approved)[images[0].ToString()]);
        Assert.All(LockLabels(approved).Where(l => l.Key != images[0].ToString()), l => Assert.Equal("已锁定", l.Value));

        // A replacement request leaves the image locked until the application is returned.
        var replacement = await _review.OkAsync(_review.RequestReplacementAsync(caseId, images[1], reviewer, "unclear"));
        Assert.Equal(LockLabels(approved), LockLabels(replacement));

        // The candidate's page and the reviewer's case read the same, image by image.
        await Eventually.GetAsync(async () =>
        {
            var mine = LockLabels(await _steps.ApplicationAsync(candidate));
            var theirs = LockLabels(await _review.GetCaseAsync(caseId, reviewer));
            return mine.Count == theirs.Count && mine.All(m => theirs.GetValueOrDefault(m.Key) == m.Value) && mine[images[0].ToString()] == "已通过"
                ? mine : null;
        }, "the candidate's view and the case to read the same lock per image");
        var candidateView = await _steps.ApplicationAsync(candidate);
        Assert.All(candidateView["images"]!.AsArray().Where(i => i!["imageId"]!.GetValue<string>() != images[0].ToString()),
            i => Assert.Equal(("Locked", true), (i!["lockState"]!.GetValue<string>(), i["locked"]!.GetValue<bool>())));
    }

    [Fact]
    public async Task The_upload_page_follows_the_review_site_passed_returned_for_data_corrected_and_approved()
    {
        var site = await _review.SiteReviewerAsync("walk-" + Guid.NewGuid().ToString("N")[..6]);
        var area = await _review.AreaReviewerAsync("walk-" + Guid.NewGuid().ToString("N")[..6]);
        var candidate = await SubmittedAsync();
        var submitted = await _steps.ApplicationAsync(candidate);
        Assert.Equal(("Submitted", "审核中"), (submitted["state"]!.GetValue<string>(), submitted["stateLabel"]!.GetValue<string>()));
        Assert.Null(submitted["feedback"]);

        // 考点通过: the upload page says so, as the registration status does.
        var caseId = await _review.WaitForCaseAsync(candidate.Id, site, c => c["state"]!.GetValue<string>() == "SiteReview");
        await _review.ReviewAndApproveAsync(caseId, site);
        var sitePassed = await WaitForStateAsync(candidate, "SitePassed");
        Assert.Equal("考点通过", sitePassed["stateLabel"]!.GetValue<string>());
        Assert.Null(sitePassed["feedback"]);
        Assert.True(sitePassed["locked"]!.GetValue<bool>());
        await platform.Client.WaitForStatusAsync(candidate.Token, "考点通过");

        // The area returns it for a registration-data problem: the feedback shows on the upload page, nothing unlocks.
        const string dataFeedback = "报名姓名与身份证不一致，请联系考点考务人员修改报名信息";
        await _review.OkAsync(_review.ClaimAsync(caseId, area));
        await _review.OkAsync(_review.PostAsync($"/api/v1/reviews/cases/{caseId}/return", area, new { feedback = dataFeedback, registrationData = true }));
        var awaiting = await WaitForStateAsync(candidate, "AwaitingCorrection");
        Assert.Equal(("退回修改", dataFeedback), (awaiting["stateLabel"]!.GetValue<string>(), awaiting["feedback"]!.GetValue<string>()));
        Assert.True(awaiting["locked"]!.GetValue<bool>());
        Assert.All(awaiting["images"]!.AsArray(), i => Assert.True(i!["locked"]!.GetValue<bool>()));
        await platform.Client.WaitForStatusAsync(candidate.Token, "退回修改");

        // Site staff correct the registration: the review resumes and the feedback is settled.
        using (var corrected = await platform.Client.SendAsync(HttpMethod.Post, "Registration", $"/api/v1/registrations/{candidate.Id}/corrections", site,
            JsonContent.Create(new { fullName = "张叁", reason = "考生持身份证到考点核对" })))
        {
            await PlatformClient.EnsureAsync(corrected, HttpStatusCode.OK);
        }
        var resumed = await WaitForStateAsync(candidate, "Submitted");
        Assert.Equal("审核中", resumed["stateLabel"]!.GetValue<string>());
        Assert.Null(resumed["feedback"]);

        await _review.WaitForCaseAsync(candidate.Id, site, c => c["state"]!.GetValue<string>() == "SiteReview");
        await _review.ReviewAndApproveAsync(caseId, site);
        Assert.Equal("考点通过", (await WaitForStateAsync(candidate, "SitePassed"))["stateLabel"]!.GetValue<string>());
        await _review.ReviewAndApproveAsync(caseId, area);
        var approved = await WaitForStateAsync(candidate, "Approved");
        Assert.Equal("审核通过", approved["stateLabel"]!.GetValue<string>());
        Assert.Null(approved["feedback"]);
        await platform.Client.WaitForStatusAsync(candidate.Token, "审核通过");
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
