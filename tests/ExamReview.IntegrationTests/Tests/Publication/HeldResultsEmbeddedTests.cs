using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Accounts;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Publication;

/// <summary>
/// Issue 18 item 3 on the running platform, in area 43 which holds results until its round closes: the candidate
/// reads 审核中 with locked ✓ images until then, a return reaches them at once with its SMS, publishing sends each
/// result SMS once, and publishing again sends none.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class HeldResultsEmbeddedTests(AccountsPlatform platform)
{
    private const string ApprovedTemplate = "review-approved";
    private PlatformClient Client => platform.Client;

    private async Task DecideAsync(Guid caseId, string reviewer, string decision, object? body = null)
    {
        using (var claim = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/claim", reviewer))
        {
            await PlatformClient.EnsureAsync(claim, HttpStatusCode.OK);
        }
        // An approval tries again while an image's verdict has not reached ReviewWorkflow (409 image_check_pending).
        using var response = await PlatformClient.WhenCheckedAsync(() => Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/{decision}", reviewer,
            body is null ? null : JsonContent.Create(body)));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
    }

    private async Task<JsonNode> PublishAsync(string level, string scope, string @operator)
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/rounds/{level}/{scope}/publish", @operator);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private Task<JsonNode> ApplicationAsync(Guid candidateId, string token) =>
        Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);

    [Fact]
    public async Task Results_wait_for_the_round_returns_do_not_and_publishing_twice_sends_each_result_SMS_once()
    {
        var @operator = await Client.OperatorTokenAsync();
        var site = await Client.SiteReviewerTokenAsync(AccountsPlatform.PasswordSite);
        var area = await Client.AreaReviewerTokenAsync(AccountsPlatform.PasswordArea);
        var approved = new List<(Guid Id, string Token)>();
        for (var i = 0; i < 3; i++)
        {
            var id = Guid.NewGuid();
            var token = await Client.CandidateTokenAsync(id);
            var caseId = await NotificationScenario.SubmitAsync(Client, id, token, NotificationScenario.NewMobile());
            await DecideAsync(caseId, site, "approve-all");
            await Client.WaitForCaseAsync(id, area, "AreaReview");
            await DecideAsync(caseId, area, "approve-all");
            approved.Add((id, token));
        }
        var returnedId = Guid.NewGuid();
        var returnedToken = await Client.CandidateTokenAsync(returnedId);
        var returnedCase = await NotificationScenario.SubmitAsync(Client, returnedId, returnedToken, NotificationScenario.NewMobile());
        await DecideAsync(returnedCase, site, "return", new { feedback = "身份证反面不清晰，请重新拍摄。", imageIds = Array.Empty<Guid>() });

        // The return is feedback: at once, with its SMS, as before.
        await NotificationScenario.WaitForSmsAsync(Client, returnedId, @operator, s => s["template"]!.GetValue<string>() == "review-returned", "the return SMS");
        await Eventually.TrueAsync(async () => (await ApplicationAsync(returnedId, returnedToken))["stateLabel"]!.GetValue<string>() == "退回修改", "退回修改 at once");

        // The decisions are held: 审核中 with every image approved (✓) and locked, and no result SMS.
        foreach (var (id, token) in approved)
        {
            var view = await Eventually.GetAsync(async () =>
            {
                var application = await ApplicationAsync(id, token);
                return application["images"]!.AsArray().All(i => i!["approved"]!.GetValue<bool>()) ? application : null;
            }, "every image approved (✓)");
            Assert.Equal("审核中", view["stateLabel"]!.GetValue<string>());
            Assert.All(view["images"]!.AsArray(), i => Assert.True(i!["locked"]!.GetValue<bool>()));
            Assert.Empty(await Client.SmsForAsync(id, @operator));
        }
        var round = await Client.GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/rounds/area/{AccountsPlatform.PasswordArea}", @operator);
        Assert.Equal("HeldUntilRoundCloses", round["mode"]!.GetValue<string>());
        Assert.True(round["held"]!.GetValue<int>() >= approved.Count);

        // The site's round releases nothing these candidates would then lose: their site results were overtaken.
        var siteRound = await PublishAsync("site", AccountsPlatform.PasswordSite, @operator);
        Assert.Equal(0, siteRound["published"]!.GetValue<int>());
        Assert.True(siteRound["withdrawn"]!.GetValue<int>() >= approved.Count);

        var published = await PublishAsync("area", AccountsPlatform.PasswordArea, @operator);
        Assert.True(published["published"]!.GetValue<int>() >= approved.Count);
        foreach (var (id, token) in approved)
        {
            await Client.WaitForStatusAsync(token, "审核通过");
            await NotificationScenario.WaitForSmsAsync(Client, id, @operator, s => s["template"]!.GetValue<string>() == ApprovedTemplate, "one approval SMS");
            // MaterialStorage consumes the same release on its own; Registration saying 审核通过 does not mean it has yet.
            await Eventually.TrueAsync(async () => (await ApplicationAsync(id, token))["stateLabel"]!.GetValue<string>() == "审核通过", "审核通过 on the materials page");
        }

        var again = await PublishAsync("area", AccountsPlatform.PasswordArea, @operator);
        Assert.Equal(0, again["published"]!.GetValue<int>());
        Assert.Equal(published["roundId"]!.GetValue<string>(), again["roundId"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(3)); // time for anything wrongly sent to arrive
        foreach (var (id, _) in approved)
        {
            Assert.Single(await Client.SmsForAsync(id, @operator));
        }
    }
}
