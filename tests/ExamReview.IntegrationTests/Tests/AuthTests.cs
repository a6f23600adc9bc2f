using System.Net;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests;

[Collection(EmbeddedCollection.Name)]
public sealed class AuthTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Theory]
    [InlineData("Registration", "/api/v1/registrations/me")]
    [InlineData("MaterialStorage", "/api/v1/materials/catalog")]
    [InlineData("ReviewWorkflow", "/api/v1/reviews/cases")]
    [InlineData("Notification", "/api/v1/notifications/me/messages")]
    public async Task Requests_without_a_token_are_refused(string service, string path)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, service, path, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_forged_token_is_refused()
    {
        // Same claims, signed with a key the platform does not trust.
        var forger = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey());
        var forged = forger.Issue(new TokenRequest("mallory", Roles.Operator)).AccessToken;
        using var response = await Client.SendAsync(HttpMethod.Get, "Notification", "/api/v1/notifications/sms", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var tampered = (await Client.CandidateTokenAsync(Guid.NewGuid()))[..^4] + "AAAA";
        using var tamperedResponse = await Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, tamperedResponse.StatusCode);
    }

    [Fact]
    public async Task Another_candidate_or_another_site_is_refused()
    {
        var ownerId = Guid.NewGuid();
        var owner = await Client.CandidateTokenAsync(ownerId);
        await Client.RegisterAsync(owner);
        await Client.WaitForApplicationAsync(ownerId, owner);
        await Client.UploadRequiredAsync(ownerId, owner);
        await Client.SubmitAsync(ownerId, owner);

        var other = await Client.CandidateTokenAsync(Guid.NewGuid());
        using (var read = await Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{ownerId}", other))
        {
            await PlatformClient.ProblemAsync(read, HttpStatusCode.NotFound); // out of scope looks like missing
        }
        using (var form = PlatformClient.ImageForm("id-card", TestImages.Document()))
        using (var upload = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{ownerId}/images", other, form))
        {
            await PlatformClient.ProblemAsync(upload, HttpStatusCode.NotFound);
        }
        using (var registration = await Client.SendAsync(HttpMethod.Get, "Registration", $"/api/v1/registrations/{ownerId}", other))
        {
            await PlatformClient.ProblemAsync(registration, HttpStatusCode.NotFound);
        }

        var ownSite = await Client.SiteReviewerTokenAsync("4301");
        var caseId = await Client.WaitForCaseAsync(ownerId, ownSite, "SiteReview");
        var otherSite = await Client.SiteReviewerTokenAsync("4302");
        using (var approve = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/approve", otherSite))
        {
            await PlatformClient.ProblemAsync(approve, HttpStatusCode.NotFound);
        }
        var otherSiteQueue = await Client.GetJsonAsync("ReviewWorkflow", "/api/v1/reviews/cases", otherSite);
        Assert.DoesNotContain(otherSiteQueue["items"]!.AsArray(), c => c!["caseId"]!.GetValue<string>() == caseId.ToString());
        var otherArea = await Client.AreaReviewerTokenAsync("44");
        using (var view = await Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{ownerId}", otherArea))
        {
            await PlatformClient.ProblemAsync(view, HttpStatusCode.NotFound);
        }

        // A candidate cannot act as a reviewer.
        using var asReviewer = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/approve", owner);
        Assert.Equal(HttpStatusCode.Forbidden, asReviewer.StatusCode);
    }
}
