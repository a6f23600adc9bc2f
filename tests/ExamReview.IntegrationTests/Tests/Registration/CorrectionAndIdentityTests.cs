using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Review;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>
/// Reviewers compare the ID card with the registration (name and full ID number, in scope only, every view logged),
/// and site staff correct registration data so that a case returned for a data problem proceeds.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class CorrectionAndIdentityTests(EmbeddedPlatform platform)
{
    private const string Registration = "Registration";
    private readonly ReviewSteps _steps = new(platform.Client);

    private Task<HttpResponseMessage> CorrectAsync(Guid candidateId, string token, object body) =>
        platform.Client.SendAsync(HttpMethod.Post, Registration, $"/api/v1/registrations/{candidateId}/corrections", token, JsonContent.Create(body));

    [Fact]
    public async Task Reviewers_in_scope_see_the_full_identity_from_the_case_and_each_view_is_logged_for_operators()
    {
        var site = await _steps.SiteReviewerAsync("ivy-" + Guid.NewGuid().ToString("N")[..6]);
        var idNumber = TestIdNumbers.New("43");
        var submitted = await _steps.SubmitNewAsync(site, idNumber);
        var view = await _steps.GetCaseAsync(submitted.CaseId, site);
        var identityUrl = view["identityUrl"]!.GetValue<string>();
        Assert.Equal($"/api/v1/registrations/{submitted.CandidateId}/identity?caseId={submitted.CaseId}", identityUrl);

        var identity = await platform.Client.GetJsonAsync(Registration, identityUrl, site);
        Assert.Equal(("张三", idNumber, "临床执业医师"),
            (identity["fullName"]!.GetValue<string>(), identity["idNumber"]!.GetValue<string>(), identity["examCategoryName"]!.GetValue<string>()));
        var area = await _steps.AreaReviewerAsync("ann-" + Guid.NewGuid().ToString("N")[..6]);
        await platform.Client.GetJsonAsync(Registration, identityUrl, area);

        // Reviewers of another site or area find nothing there (out of scope looks like missing); other roles may not ask at all.
        foreach (var (outsider, expected) in new[]
        {
            (await _steps.SiteReviewerAsync("other", "4302"), HttpStatusCode.NotFound), (await _steps.AreaReviewerAsync("other", "44"), HttpStatusCode.NotFound),
            (submitted.CandidateToken, HttpStatusCode.Forbidden), (await platform.Client.OperatorTokenAsync(), HttpStatusCode.Forbidden),
        })
        {
            using var refused = await platform.Client.SendAsync(HttpMethod.Get, Registration, identityUrl, outsider);
            Assert.Equal(expected, refused.StatusCode);
        }

        var log = (await platform.Client.GetJsonAsync(Registration, $"/api/v1/registrations/ops/identity-access?candidateId={submitted.CandidateId}",
            await platform.Client.OperatorTokenAsync())).AsArray();
        Assert.Equal(2, log.Count); // the two views in scope, none of the refused ones
        Assert.All(log, entry => Assert.Equal(submitted.CaseId.ToString(), entry!["caseId"]!.GetValue<string>()));
        Assert.Equal(["area-reviewer", "site-reviewer"], log.Select(e => e!["role"]!.GetValue<string>()));
        Assert.All(log, entry => Assert.Equal("identity", entry!["what"]!.GetValue<string>()));
        using var candidateReadsLog = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/ops/identity-access", submitted.CandidateToken);
        Assert.Equal(HttpStatusCode.Forbidden, candidateReadsLog.StatusCode);
    }

    [Fact]
    public async Task A_case_returned_for_a_data_problem_proceeds_once_site_staff_corrected_the_registration()
    {
        var site = await _steps.SiteReviewerAsync("sam-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(site);
        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, site));
        await ReviewSteps.RefusedAsync(_steps.PostAsync($"/api/v1/reviews/cases/{submitted.CaseId}/return", site,
            new { feedback = "姓名有误", registrationData = true, imageIds = new[] { submitted.ImageIds[0] } }), HttpStatusCode.UnprocessableEntity, "data_return_with_images");
        var returned = await _steps.OkAsync(_steps.PostAsync($"/api/v1/reviews/cases/{submitted.CaseId}/return", site,
            new { feedback = "报名姓名与身份证不一致，请联系考点考务人员修改报名信息", registrationData = true }));
        Assert.True(returned["awaitingCorrection"]!.GetValue<bool>());
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "退回修改");
        // Nothing to upload: the materials stay locked.
        var materials = await platform.Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{submitted.CandidateId}", submitted.CandidateToken);
        Assert.True(materials["locked"]!.GetValue<bool>());

        var otherSite = await _steps.SiteReviewerAsync("other", "4302");
        using (var outOfScope = await CorrectAsync(submitted.CandidateId, otherSite, new { fullName = "张叁", reason = "核对身份证" }))
        {
            Assert.Equal("registration_not_found", (await PlatformClient.ProblemAsync(outOfScope, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
        using (var noReason = await CorrectAsync(submitted.CandidateId, site, new { fullName = "张叁" }))
        {
            await PlatformClient.ProblemAsync(noReason, HttpStatusCode.BadRequest);
        }
        using (var badId = await CorrectAsync(submitted.CandidateId, site, new { idNumber = "123", reason = "核对身份证" }))
        {
            await PlatformClient.ProblemAsync(badId, HttpStatusCode.BadRequest);
        }
        using (var same = await CorrectAsync(submitted.CandidateId, site, new { fullName = "张三", reason = "核对身份证" }))
        {
            Assert.Equal("nothing_to_correct", (await PlatformClient.ProblemAsync(same, HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>());
        }
        using (var corrected = await CorrectAsync(submitted.CandidateId, site, new { fullName = "张叁", idNumber = "43010119900101124x", reason = "考生持身份证到考点核对" }))
        {
            await PlatformClient.EnsureAsync(corrected, HttpStatusCode.OK);
        }

        // The candidate sees what changed and why; their registration reads the corrected data.
        var corrections = (await platform.Client.GetJsonAsync(Registration, "/api/v1/registrations/me/corrections", submitted.CandidateToken)).AsArray();
        Assert.Equal(["姓名", "证件号码"], corrections.Select(c => c!["fieldName"]!.GetValue<string>()).Order());
        var name = corrections.Single(c => c!["field"]!.GetValue<string>() == "fullName")!;
        Assert.Equal(("张三", "张叁", "考生持身份证到考点核对"), (name["oldValue"]!.GetValue<string>(), name["newValue"]!.GetValue<string>(), name["reason"]!.GetValue<string>()));
        // The history shows the number masked: only the logged identity view answers it in full.
        Assert.Equal("4301**********124X", corrections.Single(c => c!["field"]!.GetValue<string>() == "idNumber")!["newValue"]!.GetValue<string>());
        Assert.Equal("张叁", (await platform.Client.GetJsonAsync(Registration, "/api/v1/registrations/me", submitted.CandidateToken))["fullName"]!.GetValue<string>());

        // The case resumes site review (no resubmission), its timeline says who corrected what, the status leaves 退回修改.
        await _steps.WaitForCaseAsync(submitted.CandidateId, site, c => c["state"]!.GetValue<string>() == "SiteReview" && !c["awaitingCorrection"]!.GetValue<bool>());
        var timeline = await _steps.TimelineAsync(submitted.CaseId, site);
        var kinds = ReviewSteps.Kinds(timeline);
        Assert.Contains("registration-corrected", kinds);
        Assert.Contains("resumed", kinds);
        var correctedEntry = timeline.Single(e => e["kind"]!.GetValue<string>() == "registration-corrected");
        Assert.StartsWith("site-sam-", correctedEntry["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches("^更正(姓名、证件号码|证件号码、姓名)：考生持身份证到考点核对", correctedEntry["detail"]!.GetValue<string>()); // the fields by their Chinese names
        ReviewSteps.AssertReadsInChinese(timeline);
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "填报");
        var identity = await platform.Client.GetJsonAsync(Registration, $"/api/v1/registrations/{submitted.CandidateId}/identity", site);
        Assert.Equal("43010119900101124X", identity["idNumber"]!.GetValue<string>());

        await _steps.ReviewAndApproveAsync(submitted.CaseId, site);
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "考点通过");
        var auditedBy = (await platform.Client.GetJsonAsync(Registration, $"/api/v1/registrations/{submitted.CandidateId}/corrections", await platform.Client.OperatorTokenAsync())).AsArray();
        Assert.Equal(2, auditedBy.Count);
    }

    [Fact]
    public async Task A_data_return_nothing_can_correct_is_resumed_by_the_site_reviewer_and_the_materials_go_back_into_review()
    {
        var site = await _steps.SiteReviewerAsync("ria-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(site);
        var resume = $"/api/v1/reviews/cases/{submitted.CaseId}/resume";
        // In review, nothing awaits a correction.
        await ReviewSteps.RefusedAsync(_steps.PostAsync(resume, site, new { reason = "报名信息无误" }), HttpStatusCode.Conflict, "not_awaiting_correction");

        await _steps.OkAsync(_steps.ClaimAsync(submitted.CaseId, site));
        await _steps.OkAsync(_steps.PostAsync($"/api/v1/reviews/cases/{submitted.CaseId}/return", site,
            new { feedback = "学历填写错误，请在个人信息中改正后联系考点", registrationData = true }));
        await Eventually.GetAsync(async () =>
        {
            var page = await platform.Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{submitted.CandidateId}", submitted.CandidateToken);
            return page["state"]!.GetValue<string>() == "AwaitingCorrection" ? page : null;
        }, "the application to await the correction");
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "退回修改");

        // Nothing staff can correct in the registration: the reviewer resumes the case, saying why; outsiders cannot.
        await ReviewSteps.RefusedAsync(_steps.PostAsync(resume, await _steps.SiteReviewerAsync("other", "4302"), new { reason = "报名信息无误" }),
            HttpStatusCode.NotFound, "case_not_found");
        using (var noReason = await _steps.PostAsync(resume, site, new { reason = " " }))
        {
            await PlatformClient.ProblemAsync(noReason, HttpStatusCode.BadRequest);
        }
        var resumed = await _steps.OkAsync(_steps.PostAsync(resume, site, new { reason = "考生已改正个人信息中的学历，报名信息无需更正" }));
        Assert.Equal(("SiteReview", false), (resumed["state"]!.GetValue<string>(), resumed["awaitingCorrection"]!.GetValue<bool>()));
        await ReviewSteps.RefusedAsync(_steps.PostAsync(resume, site, new { reason = "再次恢复" }), HttpStatusCode.Conflict, "not_awaiting_correction");

        // MaterialStorage has the application in review again (locked for review, the data-return feedback settled), as after a correction.
        var materials = await Eventually.GetAsync(async () =>
        {
            var page = await platform.Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{submitted.CandidateId}", submitted.CandidateToken);
            return page["state"]!.GetValue<string>() == "Submitted" ? page : null;
        }, "the application to be in review again");
        Assert.Null(materials["feedback"]);
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "填报");
        var timeline = await _steps.TimelineAsync(submitted.CaseId, site);
        var entry = timeline.Single(e => e["kind"]!.GetValue<string>() == "resumed");
        Assert.StartsWith("site-ria-", entry["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("报名信息无需更正，由审核员恢复考点审核：考生已改正个人信息中的学历，报名信息无需更正", entry["detail"]!.GetValue<string>());

        // The site reviews it again as usual.
        await _steps.ReviewAndApproveAsync(submitted.CaseId, site);
        await platform.Client.WaitForStatusAsync(submitted.CandidateToken, "考点通过");
    }
}
