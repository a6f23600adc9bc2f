using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// A directly signed-in candidate across the five processes of the AppHost: every service it calls asks Registration
/// whether the session is open (each has Registration's address), the material session handed over from the sign-in
/// belongs to it and says it ends no later, and signing out everywhere ends all of them at once: Registration announces
/// the ended sessions to every instance, well before the other services' cached answers expire.
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

        // A second sign-in (the tablet), checked by MaterialStorage and Notification for the first time from here on: the
        // "open" answers they cache now would keep it working for RemoteCandidateSessionCheck.CacheFor (15 s) from here.
        var tablet = await AccountSteps.SignInAsync(Client, candidate, AccountSteps.Password, codesSoFar: 1);
        var cached = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", tablet));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("Notification", "/api/v1/notifications/me/messages/summary", tablet));

        using (var signOut = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/sign-out-everywhere", laptop))
        {
            await PlatformClient.EnsureAsync(signOut, HttpStatusCode.OK);
        }
        // Registration announces the ended sessions (CandidateSessionsEnded, through its outbox) to every instance of the
        // other services: every session of the sign-ins is refused everywhere at once — the tablet's too, well before its
        // cached answers expire — including the handed-over one, which can no longer ask for a fresh hand-over either.
        await Eventually.TrueAsync(async () =>
                await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", tablet) == HttpStatusCode.Unauthorized
                && await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", uploads) == HttpStatusCode.Unauthorized
                && await StatusAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", phone) == HttpStatusCode.Unauthorized
                && await StatusAsync("Notification", "/api/v1/notifications/me/messages/summary", tablet) == HttpStatusCode.Unauthorized
                && await StatusAsync("Notification", "/api/v1/notifications/me/messages/summary", laptop) == HttpStatusCode.Unauthorized,
            "every session refused in MaterialStorage and Notification", TimeSpan.FromSeconds(10));
        Assert.True(cached.Elapsed < RemoteCandidateSessionCheck.CacheFor,
            $"refused only after {cached.Elapsed.TotalSeconds:0.0} s: the cached answers expired, the announcement did not arrive");
        // Notification runs as replicas, each with a cache of its own and a queue of its own for the announcement: asked
        // on fresh connections (which the proxy spreads over the replicas), none of them still takes the tablet.
        for (var i = 0; i < 2 * DistributedPlatform.NotificationReplicas; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Client.Url("Notification", "/api/v1/notifications/me/messages/summary"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tablet);
            request.Headers.ConnectionClose = true;
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
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
