using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// Changing the password while signed in, on the running platform: the current password is required (and its failures
/// count towards the lock), the new one follows the rule, every other session ends and this one stays, the old
/// password no longer signs in, and the account log records it. A candidate of an area without own passwords is told
/// where to change theirs, and one who has not activated yet to set a password first.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountPasswordChangeTests(AccountsPlatform platform)
{
    private const string Path = "/api/v1/registrations/me/password";
    private const string NewPassword = "Hunan@2028!";
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task The_current_password_changes_it_other_sessions_end_and_this_one_stays()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        var phone = await AccountSteps.ActivateAsync(Client, candidate);
        var laptop = await AccountSteps.SignInAsync(Client, candidate, AccountSteps.Password, codesSoFar: 0);

        using (var wrong = await ChangeAsync(laptop, "Wrong#2027x", NewPassword))
        {
            var problem = await PlatformClient.ProblemAsync(wrong, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("current_password_wrong", problem["code"]!.GetValue<string>());
            Assert.StartsWith("当前密码不正确", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using (var weak = await ChangeAsync(laptop, AccountSteps.Password, "12345678"))
        {
            Assert.Equal("weak_password", (await PlatformClient.ProblemAsync(weak, HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>());
        }
        using (var same = await ChangeAsync(laptop, AccountSteps.Password, AccountSteps.Password))
        {
            Assert.Equal("password_unchanged", (await PlatformClient.ProblemAsync(same, HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>());
        }
        // Refusals changed nothing: both sessions still work.
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, phone));

        using (var changed = await ChangeAsync(laptop, AccountSteps.Password, NewPassword))
        {
            await PlatformClient.EnsureAsync(changed, HttpStatusCode.OK);
            Assert.Equal(1, (await changed.Content.ReadFromJsonAsync<JsonNode>())!["otherSessionsEnded"]!.GetValue<int>());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await AccountSteps.MyRegistrationStatusAsync(Client, phone));
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, laptop));

        using (var old = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = AccountSteps.Password }))
        {
            Assert.Equal("invalid_credentials", (await PlatformClient.ProblemAsync(old, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
        }
        var again = await AccountSteps.SignInAsync(Client, candidate, NewPassword, codesSoFar: 1);
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, again));

        var log = await Client.GetJsonAsync("Registration", $"/api/v1/registrations/{candidate.Id}/account-audit",
            await Client.SiteReviewerTokenAsync(AccountsPlatform.PasswordSite));
        var kinds = log["items"]!.AsArray().Select(i => i!["kind"]!.GetValue<string>()).ToList();
        Assert.Single(kinds, k => k == "PasswordChanged");
        Assert.Equal(2, kinds.Count(k => k == "PasswordFailed")); // the wrong current password and the old one at sign-in
        Assert.DoesNotContain(log["items"]!.AsArray(), i => i!["detail"]!.GetValue<string>().Contains("Hunan@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_session_or_an_own_password_nothing_changes()
    {
        using (var anonymous = await Client.SendAsync(HttpMethod.Post, "Registration", Path, null,
            JsonContent.Create(new { currentPassword = AccountSteps.Password, newPassword = NewPassword })))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // An area that signs in through the registration system: no password here to change.
        var handedOver = await AccountSteps.RegisterAsync(Client, AccountsPlatform.AuthorisationArea, AccountsPlatform.AuthorisationSite);
        using var response = await ChangeAsync(handedOver.Token, AccountSteps.Password, NewPassword);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("account_without_password", problem["code"]!.GetValue<string>());
        Assert.Contains("报名系统", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // A password area's candidate who has not activated yet is told to set a password first.
        var notActivated = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        using var early = await ChangeAsync(notActivated.Token, AccountSteps.Password, NewPassword);
        Assert.Equal("account_not_active", (await PlatformClient.ProblemAsync(early, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> ChangeAsync(string token, string currentPassword, string newPassword) =>
        Client.SendAsync(HttpMethod.Post, "Registration", Path, token, JsonContent.Create(new { currentPassword, newPassword }));
}
