using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Accounts;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Publication;

/// <summary>
/// In area 43, which holds results until its round closes: once the site has passed a candidate's application, the
/// candidate can no longer change the photo and profile the site passed — although they still read 填报, and the
/// refusal must not tell them the held result. When the round publishes it, the status and the refusal name it.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class HeldResultCandidateChangeTests(AccountsPlatform platform)
{
    private const string Registration = "/api/v1/registrations";
    private PlatformClient Client => platform.Client;

    private static MultipartFormDataContent PhotoForm(byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent { { file, "file", "photo.jpg" } };
    }

    private async Task<byte[]> MarkedPhotoAsync()
    {
        using var form = PhotoForm(ExamReview.ImageValidation.Tests.FacePortraits.OnWhiteJpeg());
        using var response = await Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, form);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<HttpResponseMessage> PutPhotoAsync(string token, byte[] photo)
    {
        using var form = PhotoForm(photo);
        return await Client.SendAsync(HttpMethod.Put, "Registration", $"{Registration}/me/photo", token, form);
    }

    private Task<HttpResponseMessage> PutProfileAsync(string token) =>
        Client.SendAsync(HttpMethod.Put, "Registration", $"{Registration}/me/profile", token, JsonContent.Create(new { educationLevel = "master" }));

    private async Task<byte[]> StoredPhotoAsync(string token)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "Registration", $"{Registration}/me/photo", token);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task A_site_pass_held_for_the_round_refuses_photo_and_profile_changes_without_telling_the_result()
    {
        var @operator = await Client.OperatorTokenAsync();
        var site = await Client.SiteReviewerTokenAsync(AccountsPlatform.PasswordSite);
        var candidateId = Guid.NewGuid();
        var token = await Client.CandidateTokenAsync(candidateId);
        var caseId = await NotificationScenario.SubmitAsync(Client, candidateId, token, NotificationScenario.NewMobile());

        // Before the site decides, the photo is the candidate's to give.
        var photo = await MarkedPhotoAsync();
        using (var accepted = await PutPhotoAsync(token, photo))
        {
            await PlatformClient.EnsureAsync(accepted, HttpStatusCode.OK);
        }
        var profileBefore = (await Client.GetJsonAsync("Registration", $"{Registration}/me", token))["profile"]!.ToJsonString();

        await ApproveAllAsync(caseId, site);

        // Held: Registration learns of the pass on its own message. Until it has, an unmarked photo is refused for being
        // unmarked (422, nothing written); from then on every change is refused because the site passed them.
        var photoRefusal = await Eventually.GetAsync(async () =>
        {
            using var response = await PutPhotoAsync(token, [0xFF, 0xD8, 0xFF, 0xD9]);
            return response.StatusCode == HttpStatusCode.Conflict ? await PlatformClient.ProblemAsync(response, HttpStatusCode.Conflict) : null;
        }, "the photo change refused once the site passed it");
        AssertNeutral(photoRefusal);
        using (var marked = await PutPhotoAsync(token, await MarkedPhotoAsync()))
        {
            AssertNeutral(await PlatformClient.ProblemAsync(marked, HttpStatusCode.Conflict));
        }
        using (var profile = await PutProfileAsync(token))
        {
            AssertNeutral(await PlatformClient.ProblemAsync(profile, HttpStatusCode.Conflict));
        }

        // Nothing written, and the candidate still reads what was published: 填报.
        var mine = await Client.GetJsonAsync("Registration", $"{Registration}/me", token);
        Assert.Equal("填报", mine["status"]!["label"]!.GetValue<string>());
        Assert.Equal(profileBefore, mine["profile"]!.ToJsonString());
        Assert.Equal(photo, await StoredPhotoAsync(token));

        // The site's round publishes the pass (and leaves nothing of this test held for the next): now it is named.
        using (var publish = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/rounds/site/{AccountsPlatform.PasswordSite}/publish", @operator))
        {
            await PlatformClient.EnsureAsync(publish, HttpStatusCode.OK);
        }
        await Client.WaitForStatusAsync(token, "考点通过");
        using var afterRound = await PutProfileAsync(token);
        var named = await PlatformClient.ProblemAsync(afterRound, HttpStatusCode.Conflict);
        Assert.Equal("reviewed_as_is", named["code"]!.GetValue<string>());
        Assert.Contains("考点通过", named["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Refused with the stable code, in words that name no result the round has not published.</summary>
    private static void AssertNeutral(JsonObject problem)
    {
        Assert.Equal("reviewed_as_is", problem["code"]!.GetValue<string>());
        var detail = problem["detail"]!.GetValue<string>();
        Assert.StartsWith("资料审核中，暂不能修改", detail, StringComparison.Ordinal);
        Assert.All(new[] { "考点通过", "审核通过", "审核拒绝" }, label => Assert.DoesNotContain(label, detail, StringComparison.Ordinal));
    }

    private async Task ApproveAllAsync(Guid caseId, string reviewer)
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
