using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Accounts;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Publication;

/// <summary>
/// In area 43, which holds results until its round closes: once the area has decided, site staff can no longer correct
/// the registration — although the candidate still reads 填报 — and the refusal says the review is over without naming
/// the decision. When the round publishes it, the refusal names it.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class HeldResultCorrectionTests(AccountsPlatform platform)
{
    private const string Registration = "/api/v1/registrations";
    private PlatformClient Client => platform.Client;

    // The mobile number the candidate already has: nothing to correct (422) while corrections are open, so trying
    // again until the held decision arrives changes nothing.
    private Task<HttpResponseMessage> CorrectAsync(Guid candidateId, string token, string mobile) =>
        Client.SendAsync(HttpMethod.Post, "Registration", $"{Registration}/{candidateId}/corrections", token,
            JsonContent.Create(new { mobileNumber = mobile, reason = "核对报名信息" }));

    [Fact]
    public async Task A_held_area_decision_refuses_staff_corrections_without_naming_it_until_the_round_publishes()
    {
        var @operator = await Client.OperatorTokenAsync();
        var site = await Client.SiteReviewerTokenAsync(AccountsPlatform.PasswordSite);
        var area = await Client.AreaReviewerTokenAsync(AccountsPlatform.PasswordArea);
        var candidateId = Guid.NewGuid();
        var token = await Client.CandidateTokenAsync(candidateId);
        var mobile = NotificationScenario.NewMobile();
        var caseId = await NotificationScenario.SubmitAsync(Client, candidateId, token, mobile);
        await DecideAsync(caseId, site);
        await Client.WaitForCaseAsync(candidateId, area, "AreaReview");
        using (var open = await CorrectAsync(candidateId, site, mobile))
        {
            Assert.Equal("nothing_to_correct", (await PlatformClient.ProblemAsync(open, HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>());
        }

        await DecideAsync(caseId, area);

        // Registration learns of the held approval on its own message; from then on the correction is refused.
        var refusal = await Eventually.GetAsync(async () =>
        {
            using var response = await CorrectAsync(candidateId, site, mobile);
            return response.StatusCode == HttpStatusCode.Conflict ? await PlatformClient.ProblemAsync(response, HttpStatusCode.Conflict) : null;
        }, "the correction refused once the area decided");
        Assert.Equal("review_finished", refusal["code"]!.GetValue<string>());
        var detail = refusal["detail"]!.GetValue<string>();
        Assert.Equal("审核已结束，结果尚未公布，报名信息不能再修改。", detail);
        Assert.All(new[] { "考点通过", "审核通过", "审核拒绝" }, label => Assert.DoesNotContain(label, detail, StringComparison.Ordinal));
        using (var byArea = await CorrectAsync(candidateId, area, NotificationScenario.NewMobile()))
        {
            Assert.Equal("review_finished", (await PlatformClient.ProblemAsync(byArea, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        }
        var mine = await Client.GetJsonAsync("Registration", $"{Registration}/me", token);
        Assert.Equal(("填报", mobile), (mine["status"]!["label"]!.GetValue<string>(), mine["mobileNumber"]!.GetValue<string>()));
        Assert.Empty((await Client.GetJsonAsync("Registration", $"{Registration}/me/corrections", token)).AsArray());

        // The rounds publish (and leave nothing of this test held for the next): now the refusal names the decision.
        foreach (var (level, scope) in new[] { ("site", AccountsPlatform.PasswordSite), ("area", AccountsPlatform.PasswordArea) })
        {
            using var publish = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/rounds/{level}/{scope}/publish", @operator);
            await PlatformClient.EnsureAsync(publish, HttpStatusCode.OK);
        }
        await Client.WaitForStatusAsync(token, "审核通过");
        using var afterRound = await CorrectAsync(candidateId, site, NotificationScenario.NewMobile());
        var named = await PlatformClient.ProblemAsync(afterRound, HttpStatusCode.Conflict);
        Assert.Equal(("review_finished", "审核已结束（审核通过），报名信息不能再修改。"), (named["code"]!.GetValue<string>(), named["detail"]!.GetValue<string>()));
    }

    private async Task DecideAsync(Guid caseId, string reviewer)
    {
        using (var claim = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/claim", reviewer))
        {
            await PlatformClient.EnsureAsync(claim, HttpStatusCode.OK);
        }
        // Tried again while an image's verdict has not reached ReviewWorkflow (409 image_check_pending).
        using var response = await PlatformClient.WhenCheckedAsync(() => Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/approve-all", reviewer));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
    }
}
