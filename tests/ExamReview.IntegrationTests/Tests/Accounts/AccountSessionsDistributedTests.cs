using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// A directly signed-in candidate across the five processes of the AppHost: every service it calls asks Registration
/// whether the session is open (each has Registration's address), the material session handed over from the sign-in
/// belongs to it and says it ends no later, and signing out everywhere ends all of them within the check's cache.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class AccountSessionsDistributedTests(DistributedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task A_sign_in_works_in_every_service_hands_over_a_session_that_ends_with_it_and_signing_out_ends_them_all()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, DistributedPlatform.PasswordArea, DistributedPlatform.PasswordSite);
        var phone = await AccountSteps.ActivateAsync(Client, candidate);
        var laptop = await AccountSteps.SignInAsync(Client, candidate, AccountSteps.Password, codesSoFar: 0);
        var signInEnds = new JsonWebToken(laptop).ValidTo;

        // Notification and MaterialStorage each check the laptop's session at Registration, in another process.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("Notification", "/api/v1/notifications/me/messages/summary", laptop));
        await Client.WaitForApplicationAsync(candidate.Id, phone);

        // The upload page: the material session handed over from the laptop belongs to it and ends no later.
        using var handover = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/handover", laptop);
        await PlatformClient.EnsureAsync(handover, HttpStatusCode.OK);
        var authorization = (await handover.Content.ReadFromJsonAsync<JsonNode>())!["authorization"]!.GetValue<string>();
        using var exchange = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", "/api/v1/materials/sessions", null, JsonContent.Create(new { authorization }));
        await PlatformClient.EnsureAsync(exchange, HttpStatusCode.OK);
        var session = (await exchange.Content.ReadFromJsonAsync<JsonNode>())!;
        var uploads = session["accessToken"]!.GetValue<string>();
        Assert.True(session["expiresAt"]!.GetValue<DateTimeOffset>() <= new DateTimeOffset(signInEnds, TimeSpan.Zero), "the material session outlives its sign-in");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", uploads));

        using (var signOut = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/sign-out-everywhere", laptop))
        {
            await PlatformClient.EnsureAsync(signOut, HttpStatusCode.OK);
        }
        // Within the other services' cache of the answer (15 s), every session of the sign-ins is refused everywhere,
        // including the handed-over one, which can no longer ask for a fresh hand-over either.
        await Eventually.TrueAsync(async () =>
                await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", uploads) == HttpStatusCode.Unauthorized
                && await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", phone) == HttpStatusCode.Unauthorized
                && await StatusAsync("Notification", "/api/v1/notifications/me/messages/summary", laptop) == HttpStatusCode.Unauthorized,
            "every session refused in MaterialStorage and Notification", TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("Registration", "/api/v1/registrations/me", uploads));
        using var renewed = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/handover", uploads);
        Assert.Equal(HttpStatusCode.Unauthorized, renewed.StatusCode);
        // The registration system's own token (no session) is untouched.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", candidate.Token));
    }

    private async Task<HttpStatusCode> StatusAsync(string service, string path, string token)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, service, path, token);
        return response.StatusCode;
    }
}
