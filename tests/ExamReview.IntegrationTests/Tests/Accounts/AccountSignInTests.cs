using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// Issue 18 items 1–2 on the running platform: activation per area, direct sign-in with an SMS code (read from the SMS
/// provider stub, as the candidate reads it on the phone), lock-out, reset, sign out everywhere, the audit log's scope.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountSignInTests(AccountsPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task An_authorisation_area_keeps_the_hand_over_as_it_was_and_creates_no_account()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.AuthorisationArea, AccountsPlatform.AuthorisationSite);
        var handover = await AccountSteps.HandoverAsync(Client, candidate);
        Assert.False(handover["activationRequired"]!.GetValue<bool>());
        Assert.Equal("/api/v1/materials/sessions", handover["exchangePath"]!.GetValue<string>());
        using (var exchange = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", "/api/v1/materials/sessions", null,
            JsonContent.Create(new { authorization = handover["authorization"]!.GetValue<string>() })))
        {
            await PlatformClient.EnsureAsync(exchange, HttpStatusCode.OK);
        }
        // No account: direct sign-in answers exactly as for a wrong password.
        using var signIn = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = AccountSteps.Password });
        Assert.Equal("invalid_credentials", (await PlatformClient.ProblemAsync(signIn, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_password_area_activates_on_the_first_hand_over_then_the_candidate_signs_in_with_password_and_SMS_code()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        var handover = await AccountSteps.HandoverAsync(Client, candidate);
        Assert.True(handover["activationRequired"]!.GetValue<bool>());
        Assert.Equal("/api/v1/registrations/accounts/activation", handover["exchangePath"]!.GetValue<string>());
        var authorization = handover["authorization"]!.GetValue<string>();

        // The activation authorisation is no material session.
        using (var exchange = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", "/api/v1/materials/sessions", null, JsonContent.Create(new { authorization })))
        {
            Assert.Equal("authorization_invalid", (await PlatformClient.ProblemAsync(exchange, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
        }
        using (var weak = await AccountSteps.PostAsync(Client, "/activation", new { authorization, password = "12345678" }))
        {
            var problem = await PlatformClient.ProblemAsync(weak, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("weak_password", problem["code"]!.GetValue<string>());
            Assert.Contains("密码不符合要求", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        string activated;
        using (var activation = await AccountSteps.PostAsync(Client, "/activation", new { authorization, password = AccountSteps.Password }))
        {
            await PlatformClient.EnsureAsync(activation, HttpStatusCode.OK);
            activated = (await activation.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
        }
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, activated));
        using (var again = await AccountSteps.PostAsync(Client, "/activation", new { authorization, password = AccountSteps.Password }))
        {
            Assert.Equal("account_already_active", (await PlatformClient.ProblemAsync(again, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        }
        // Activated: later hand-overs are plain material sessions again.
        Assert.False((await AccountSteps.HandoverAsync(Client, candidate))["activationRequired"]!.GetValue<bool>());

        // Days later, on their own: a wrong password, then the right one, a wrong code, then the texted one.
        using (var wrong = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = "Wrong#2027" }))
        {
            var problem = await PlatformClient.ProblemAsync(wrong, HttpStatusCode.Unauthorized);
            Assert.Equal("invalid_credentials", problem["code"]!.GetValue<string>());
            Assert.Contains("证件号码或密码不正确", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using var first = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber.ToLowerInvariant(), password = AccountSteps.Password });
        await PlatformClient.EnsureAsync(first, HttpStatusCode.OK);
        var challenge = (await first.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal(candidate.Mobile[..3] + "****" + candidate.Mobile[^4..], challenge["maskedMobile"]!.GetValue<string>());
        var code = await AccountSteps.WaitForCodeAsync(Client, candidate.Mobile, 1);
        // The phone gets the code; the operators' SMS log shows the text with the code hidden (reading it there would be signing in as the candidate).
        var logged = Assert.Single(await Client.SmsForAsync(candidate.Id, await Client.OperatorTokenAsync()), m => m!["template"]!.GetValue<string>() == "account-one-time-code")!;
        Assert.DoesNotContain(code, logged["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("******", logged["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var challengeId = challenge["challengeId"]!.GetValue<string>();
        using (var badCode = await AccountSteps.PostAsync(Client, "/sign-in/code", new { challengeId, code = code == "000000" ? "111111" : "000000" }))
        {
            Assert.Equal("code_invalid", (await PlatformClient.ProblemAsync(badCode, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
        }
        using var signedIn = await AccountSteps.PostAsync(Client, "/sign-in/code", new { challengeId, code });
        await PlatformClient.EnsureAsync(signedIn, HttpStatusCode.OK);
        var session = (await signedIn.Content.ReadFromJsonAsync<JsonNode>())!;
        var token = session["accessToken"]!.GetValue<string>();
        Assert.Equal(candidate.Id.ToString(), session["candidateId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, token));
        // The session token works in the other services too (they ask Registration whether the session is open).
        var application = await Client.WaitForApplicationAsync(candidate.Id, token);
        Assert.Equal("填报", application["stateLabel"]!.GetValue<string>());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_with_the_time_to_wait_and_an_SMS_reset_unlocks_it_and_ends_old_sessions()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        var activated = await AccountSteps.ActivateAsync(Client, candidate);
        for (var i = 1; i < 5; i++)
        {
            using var wrong = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = $"Wrong#{i}pass" });
            Assert.Equal("invalid_credentials", (await PlatformClient.ProblemAsync(wrong, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
        }
        using (var locking = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = "Wrong#5pass" }))
        {
            var problem = await PlatformClient.ProblemAsync(locking, HttpStatusCode.Locked);
            Assert.Equal("account_locked", problem["code"]!.GetValue<string>());
            Assert.Contains("请在 15 分钟后再试", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromMinutes(15), locking.Headers.RetryAfter!.Delta);
        }
        using (var right = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = AccountSteps.Password }))
        {
            Assert.Equal("account_locked", (await PlatformClient.ProblemAsync(right, (HttpStatusCode)423))["code"]!.GetValue<string>());
        }

        using var reset = await AccountSteps.PostAsync(Client, "/password-reset", new { idNumber = candidate.IdNumber });
        Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        var challengeId = (await reset.Content.ReadFromJsonAsync<JsonNode>())!["challengeId"]!.GetValue<string>();
        var code = await AccountSteps.WaitForCodeAsync(Client, candidate.Mobile, 1);
        using (var confirm = await AccountSteps.PostAsync(Client, "/password-reset/confirm", new { challengeId, code, newPassword = "Hunan@2027!" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        }
        // The activation's session ended with the old password; the new one signs in at once.
        Assert.Equal(HttpStatusCode.Unauthorized, await AccountSteps.MyRegistrationStatusAsync(Client, activated));
        var token = await AccountSteps.SignInAsync(Client, candidate, "Hunan@2027!", codesSoFar: 1);
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, token));

        // An unknown ID number gets the same answer as a known one (and no SMS goes anywhere).
        using var unknown = await AccountSteps.PostAsync(Client, "/password-reset", new { idNumber = AccountSteps.NewIdNumber() });
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_candidate_in_every_service()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        var phone = await AccountSteps.ActivateAsync(Client, candidate);
        var laptop = await AccountSteps.SignInAsync(Client, candidate, AccountSteps.Password, codesSoFar: 0);
        await Client.WaitForApplicationAsync(candidate.Id, phone);
        // The laptop's session goes on to the upload page: the material session it is handed belongs to the same sign-in.
        string uploads;
        using (var handover = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/handover", laptop))
        {
            await PlatformClient.EnsureAsync(handover, HttpStatusCode.OK);
            var authorization = (await handover.Content.ReadFromJsonAsync<JsonNode>())!["authorization"]!.GetValue<string>();
            using var exchange = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", "/api/v1/materials/sessions", null, JsonContent.Create(new { authorization }));
            await PlatformClient.EnsureAsync(exchange, HttpStatusCode.OK);
            uploads = (await exchange.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
        }
        await Client.WaitForApplicationAsync(candidate.Id, uploads);

        using (var signOut = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/sign-out-everywhere", laptop))
        {
            await PlatformClient.EnsureAsync(signOut, HttpStatusCode.OK);
            Assert.Equal(2, (await signOut.Content.ReadFromJsonAsync<JsonNode>())!["sessionsEnded"]!.GetValue<int>());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await AccountSteps.MyRegistrationStatusAsync(Client, phone));
        Assert.Equal(HttpStatusCode.Unauthorized, await AccountSteps.MyRegistrationStatusAsync(Client, laptop));
        using var materials = await Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", phone);
        Assert.Equal(HttpStatusCode.Unauthorized, materials.StatusCode);
        // The material session handed over from the laptop ends with it: it can neither upload nor ask for a new hand-over.
        using var handedOver = await Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", uploads);
        Assert.Equal(HttpStatusCode.Unauthorized, handedOver.StatusCode);
        using var renewed = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/handover", uploads);
        Assert.Equal(HttpStatusCode.Unauthorized, renewed.StatusCode);
        // The registration system's own token (no session) is untouched.
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, candidate.Token));
    }

    [Fact]
    public async Task The_account_log_records_each_step_and_only_reviewers_of_the_candidates_site_or_area_read_it()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        await AccountSteps.ActivateAsync(Client, candidate);
        using (var wrong = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = "Wrong#2027" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var token = await AccountSteps.SignInAsync(Client, candidate, AccountSteps.Password, codesSoFar: 0);
        using (var signOut = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/sign-out-everywhere", token))
        {
            await PlatformClient.EnsureAsync(signOut, HttpStatusCode.OK);
        }

        var path = $"/api/v1/registrations/{candidate.Id}/account-audit";
        var log = await Client.GetJsonAsync("Registration", path, await Client.SiteReviewerTokenAsync(AccountsPlatform.PasswordSite));
        var kinds = log["items"]!.AsArray().Select(i => i!["kind"]!.GetValue<string>()).Reverse().ToList();
        // Oldest first here; PasswordAccepted and CodeSent share one instant, so their order is not compared.
        Assert.Equal(6, kinds.Count);
        Assert.Equal(("Activated", "PasswordFailed"), (kinds[0], kinds[1]));
        Assert.Equal(["CodeSent", "PasswordAccepted"], kinds[2..4].Order(StringComparer.Ordinal));
        Assert.Equal(("SignedIn", "SignedOutEverywhere"), (kinds[4], kinds[5]));
        Assert.DoesNotContain(log["items"]!.AsArray(), i => i!["detail"]!.GetValue<string>().Contains(AccountSteps.Password, StringComparison.Ordinal));
        await Client.GetJsonAsync("Registration", path, await Client.AreaReviewerTokenAsync(AccountsPlatform.PasswordArea));

        foreach (var outsider in new[] { await Client.SiteReviewerTokenAsync("4302"), await Client.AreaReviewerTokenAsync("44") })
        {
            using var response = await Client.SendAsync(HttpMethod.Get, "Registration", path, outsider);
            Assert.Equal("registration_not_found", (await PlatformClient.ProblemAsync(response, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
        using var candidateAsks = await Client.SendAsync(HttpMethod.Get, "Registration", path, candidate.Token);
        Assert.Equal(HttpStatusCode.Forbidden, candidateAsks.StatusCode);
    }
}
