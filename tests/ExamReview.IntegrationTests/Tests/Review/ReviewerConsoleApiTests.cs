using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// What the reviewer console (issue 16) reads beside the queue, on the embedded platform: counts per stage in the
/// caller's scope, a return's preview (the feedback and deadline the return then sends, nothing sent), the SMS text a
/// return sends, and the review trends for area reviewers and operators.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class ReviewerConsoleApiTests(EmbeddedPlatform platform)
{
    private readonly ReviewSteps _steps = new(platform.Client);

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..6]}";

    private async Task<Dictionary<string, int>> CountsAsync(string token)
    {
        var counts = await platform.Client.GetJsonAsync(ReviewSteps.Service, "/api/v1/reviews/cases/stage-counts", token);
        return counts["stages"]!.AsArray().ToDictionary(s => s!["stage"]!.GetValue<string>(), s => s!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Counts_per_stage_follow_submission_and_claim_in_the_callers_scope_only()
    {
        var reviewer = await _steps.SiteReviewerAsync(Unique("counter"));
        var elsewhere = await _steps.SiteReviewerAsync(Unique("other-site"), "4302");
        var before = await CountsAsync(reviewer);
        var otherBefore = await CountsAsync(elsewhere);
        Assert.Equal(
            ["Submitted", "Resubmitted", "UnderSiteReview", "SiteApproved", "UnderAreaReview", "Returned", "Approved", "Rejected"],
            before.Keys.ToList());

        var submitted = await _steps.SubmitNewAsync(reviewer);
        var afterSubmit = await CountsAsync(reviewer);
        Assert.Equal(before["Submitted"] + 1, afterSubmit["Submitted"]);

        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, reviewer));
        var afterClaim = await CountsAsync(reviewer);
        Assert.Equal(before["Submitted"], afterClaim["Submitted"]);
        Assert.Equal(before["UnderSiteReview"] + 1, afterClaim["UnderSiteReview"]);

        // Another site's reviewer counts nothing of it.
        Assert.Equal(otherBefore, await CountsAsync(elsewhere));
    }

    [Fact]
    public async Task A_return_preview_shows_what_the_return_then_sends_and_sends_nothing()
    {
        var reviewer = await _steps.SiteReviewerAsync(Unique("previewer"));
        var submitted = await _steps.SubmitNewAsync(reviewer);
        var (caseId, image) = (submitted.CaseId, submitted.ImageIds[0]);
        var path = $"/api/v1/reviews/cases/{caseId}/return/preview";

        // Only the holder of the claim previews, as only the holder returns.
        await ReviewSteps.RefusedAsync(_steps.PostAsync(path, reviewer, new { feedback = "请重拍" }), HttpStatusCode.Conflict, "claim_not_held");
        await _steps.OkAsync(_steps.ClaimAsync(caseId, reviewer));
        await _steps.OkAsync(_steps.RequestReplacementAsync(caseId, image, reviewer, "unclear", "反光，号码看不清"));
        await ReviewSteps.RefusedAsync(_steps.PostAsync(path, reviewer, new { feedback = "姓名有误", registrationData = true }),
            HttpStatusCode.UnprocessableEntity, "data_return_with_images");

        var requestedAt = DateTimeOffset.UtcNow;
        var preview = await _steps.OkAsync(_steps.PostAsync(path, reviewer, new { feedback = "请按要求更换标记的图片。" }));
        var feedback = preview["feedback"]!.GetValue<string>();
        Assert.StartsWith("请按要求更换标记的图片。\n", feedback, StringComparison.Ordinal);
        Assert.Contains("图片不清晰（反光，号码看不清）", feedback, StringComparison.Ordinal);
        Assert.Equal("43", preview["areaCode"]!.GetValue<string>());
        Assert.Equal("site", preview["level"]!.GetValue<string>());
        var respondBy = preview["respondBy"]!.GetValue<DateTimeOffset>();
        Assert.InRange(respondBy, requestedAt.AddHours(23), requestedAt.AddHours(25)); // the default one-day window
        var listed = Assert.Single(preview["imagesToReplace"]!.AsArray());
        Assert.Equal(image.ToString(), listed!["imageId"]!.GetValue<string>());
        Assert.Equal("unclear", listed["reasonCode"]!.GetValue<string>());
        Assert.Equal("图片不清晰", listed["reason"]!.GetValue<string>());

        // Nothing was sent: still in site review, still claimed, no return on the timeline.
        var unchanged = await _steps.GetCaseAsync(caseId, reviewer);
        Assert.Equal("UnderSiteReview", unchanged["stage"]!.GetValue<string>());
        Assert.DoesNotContain("returned-site", ReviewSteps.Kinds(await _steps.TimelineAsync(caseId, reviewer)));

        var returned = await _steps.OkAsync(_steps.ReturnAsync(caseId, reviewer, "请按要求更换标记的图片。"));
        Assert.Equal(feedback, returned["feedback"]!.GetValue<string>());
        Assert.InRange(returned["respondBy"]!.GetValue<DateTimeOffset>(), respondBy, respondBy.AddMinutes(1));
    }

    [Fact]
    public async Task A_case_reads_its_images_in_upload_order_and_a_return_too_long_to_keep_whole_is_refused_in_preview_and_return()
    {
        var reviewer = await _steps.SiteReviewerAsync(Unique("long-notes"));
        var submitted = await _steps.SubmitNewAsync(reviewer);
        var caseId = submitted.CaseId;
        await _steps.OkAsync(_steps.ClaimAsync(caseId, reviewer));

        // The images as the candidate uploaded them (the ID card's front, back and hand-held first), not shuffled.
        var images = (await _steps.GetCaseAsync(caseId, reviewer))["images"]!.AsArray();
        Assert.Equal(PlatformClient.PlainCandidateSet, images.Select(i => i!["materialType"]!.GetValue<string>()));

        // Every image marked with a long note: the composed 审核意见 no longer fits, and is refused rather than cut.
        foreach (var image in images.Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())))
        {
            await _steps.OkAsync(_steps.RequestReplacementAsync(caseId, image, reviewer, "unclear", new string('清', 490)));
        }
        var body = new { feedback = "请按意见重新上传" };
        var preview = await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/return/preview", reviewer, body),
            HttpStatusCode.UnprocessableEntity, "feedback_too_long");
        Assert.True(preview["length"]!.GetValue<int>() > preview["maxLength"]!.GetValue<int>());
        await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{caseId}/return", reviewer, body), HttpStatusCode.UnprocessableEntity,
            "feedback_too_long");

        var after = await _steps.GetCaseAsync(caseId, reviewer);
        Assert.Equal(("SiteReview", 0), (after["state"]!.GetValue<string>(), after["returnCount"]!.GetValue<int>()));
        Assert.DoesNotContain("returned-site", ReviewSteps.Kinds(await _steps.TimelineAsync(caseId, reviewer)));
    }

    [Fact]
    public async Task The_sms_preview_is_the_areas_text_with_the_deadline_for_reviewers_only()
    {
        var reviewer = await _steps.SiteReviewerAsync(Unique("sms"));
        var deadline = new DateTimeOffset(2027, 5, 1, 1, 30, 0, TimeSpan.Zero);
        var reminder = await platform.Client.GetJsonAsync("Notification",
            $"/api/v1/notifications/sms/preview?template=review-deadline-reminder&areaCode=43&deadline={Uri.EscapeDataString(deadline.ToString("O"))}", reviewer);
        var text = reminder["text"]!.GetValue<string>();
        Assert.StartsWith("【", text, StringComparison.Ordinal);
        Assert.Contains("请于 2027-05-01 09:30 前登陆报名网站", text, StringComparison.Ordinal); // Beijing time
        Assert.Equal("review-deadline-reminder", reminder["template"]!.GetValue<string>());

        var returned = await platform.Client.GetJsonAsync("Notification", "/api/v1/notifications/sms/preview?template=review-returned&areaCode=43", reviewer);
        Assert.Contains("有新的审核通知", returned["text"]!.GetValue<string>(), StringComparison.Ordinal);

        using (var unknown = await platform.Client.SendAsync(HttpMethod.Get, "Notification", "/api/v1/notifications/sms/preview?template=nope&areaCode=43", reviewer))
        {
            var problem = await PlatformClient.ProblemAsync(unknown, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("template"));
        }
        await ReviewSteps.RefusedAsync(platform.Client.SendAsync(HttpMethod.Get, "Notification",
            "/api/v1/notifications/sms/preview?template=review-returned&areaCode=99", reviewer), HttpStatusCode.NotFound, "unknown_area");
        var candidate = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using var refused = await platform.Client.SendAsync(HttpMethod.Get, "Notification", "/api/v1/notifications/sms/preview?template=review-returned&areaCode=43", candidate);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Trends_count_the_days_decisions_and_the_return_reasons_of_the_callers_area()
    {
        var site = await _steps.SiteReviewerAsync(Unique("trend"));
        var area = await _steps.AreaReviewerAsync(Unique("trend"));
        const string Path = "/api/v1/reviews/metrics/trends";
        var before = await platform.Client.GetJsonAsync(ReviewSteps.Service, Path, area);

        var submitted = await _steps.SubmitNewAsync(site);
        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, site));
        await _steps.OkAsync(_steps.RequestReplacementAsync(submitted.CaseId, submitted.ImageIds[0], site, "missing-seal", null));
        await _steps.OkAsync(_steps.ReturnAsync(submitted.CaseId, site, null));

        // An area reviewer sees their own area whatever area they ask for.
        var trends = await platform.Client.GetJsonAsync(ReviewSteps.Service, Path + "?areaCode=11", area);
        Assert.Equal("43", trends["areaCode"]!.GetValue<string>());
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).ToString("yyyy-MM-dd");
        int ReturnedToday(JsonNode t) => t["throughputPerDay"]!.AsArray().Single(d => d!["day"]!.GetValue<string>() == today)!["returned"]!.GetValue<int>();
        Assert.Equal(ReturnedToday(before) + 1, ReturnedToday(trends));
        var seal = trends["returnRateByReason"]!.AsArray().Single(r => r!["reasonCode"]!.GetValue<string>() == "missing-seal")!;
        Assert.Equal("缺少公章或签字", seal["reason"]!.GetValue<string>());
        Assert.True(seal["cases"]!.GetValue<int>() >= 1);
        Assert.InRange(seal["rate"]!.GetValue<double>(), 0.0001, 1.0);
        Assert.True(trends["timeToFirstReview"]!["count"]!.GetValue<int>() >= 1);

        // Operators choose the area; site reviewers have no trends; a period longer than 92 days is refused.
        var operatorToken = await platform.Client.TokenAsync(new { subject = Unique("ops"), role = "operator" });
        var national = await platform.Client.GetJsonAsync(ReviewSteps.Service, Path + "?areaCode=43", operatorToken);
        Assert.Equal("43", national["areaCode"]!.GetValue<string>());
        using (var siteRefused = await platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service, Path, site, null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, siteRefused.StatusCode);
        }
        await ReviewSteps.RefusedAsync(platform.Client.SendAsync(HttpMethod.Get, ReviewSteps.Service,
            Path + "?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z", area), HttpStatusCode.BadRequest, "validation");
    }
}
