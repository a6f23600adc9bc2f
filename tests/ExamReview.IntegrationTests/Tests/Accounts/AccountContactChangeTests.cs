using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// Moving the mobile number (where the password-reset code goes) on the running platform: with a password account the
/// current password is required, a wrong one counts towards the sign-in lock, a refusal writes nothing else, and a
/// change ends the candidate's other sessions; a candidate who comes only through the hand-over needs only the session.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountContactChangeTests(AccountsPlatform platform)
{
    private const string Path = "/api/v1/registrations/me/contact";
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task A_password_account_moves_its_mobile_only_with_the_current_password_and_its_other_sessions_end()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        var phone = await AccountSteps.ActivateAsync(Client, candidate);
        var laptop = await AccountSteps.SignInAsync(Client, candidate, AccountSteps.Password, codesSoFar: 0);
        var before = await Client.GetJsonAsync("Registration", "/api/v1/registrations/me", laptop);
        var newMobile = NotificationScenario.NewMobile();

        using (var missing = await ChangeAsync(laptop, new { mobileNumber = newMobile }))
        {
            var problem = await PlatformClient.ProblemAsync(missing, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("current_password_required", problem["code"]!.GetValue<string>());
            Assert.StartsWith("修改手机号码须输入当前登录密码", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using (var wrong = await ChangeAsync(laptop, new { mobileNumber = newMobile, currentPassword = "Wrong#2027x" }))
        {
            var problem = await PlatformClient.ProblemAsync(wrong, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("current_password_wrong", problem["code"]!.GetValue<string>());
            Assert.StartsWith("当前密码不正确", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // Nothing half-written: the same number and version time, and both sessions still open.
        var after = await Client.GetJsonAsync("Registration", "/api/v1/registrations/me", laptop);
        Assert.Equal((candidate.Mobile, before["updatedAt"]!.ToJsonString()), (after["mobileNumber"]!.GetValue<string>(), after["updatedAt"]!.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, phone));

        using (var changed = await ChangeAsync(laptop, new { mobileNumber = newMobile, currentPassword = AccountSteps.Password }))
        {
            await PlatformClient.EnsureAsync(changed, HttpStatusCode.OK);
            Assert.Equal(newMobile, (await changed.Content.ReadFromJsonAsync<JsonNode>())!["mobileNumber"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await AccountSteps.MyRegistrationStatusAsync(Client, phone));
        Assert.Equal(HttpStatusCode.OK, await AccountSteps.MyRegistrationStatusAsync(Client, laptop));

        var log = await Client.GetJsonAsync("Registration", $"/api/v1/registrations/{candidate.Id}/account-audit",
            await Client.SiteReviewerTokenAsync(AccountsPlatform.PasswordSite));
        var items = log["items"]!.AsArray();
        Assert.Single(items, i => i!["kind"]!.GetValue<string>() == "PasswordFailed");
        var moved = Assert.Single(items, i => i!["kind"]!.GetValue<string>() == "MobileChanged")!;
        Assert.DoesNotContain(newMobile, moved["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i!["detail"]!.GetValue<string>().Contains(AccountSteps.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_passwords_at_the_mobile_change_lock_the_account_for_sign_in_too()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        var session = await AccountSteps.ActivateAsync(Client, candidate);
        var newMobile = NotificationScenario.NewMobile();
        for (var i = 1; i < 5; i++)
        {
            using var wrong = await ChangeAsync(session, new { mobileNumber = newMobile, currentPassword = $"Wrong#{i}pass" });
            Assert.Equal("current_password_wrong", (await PlatformClient.ProblemAsync(wrong, HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>());
        }
        using (var locking = await ChangeAsync(session, new { mobileNumber = newMobile, currentPassword = "Wrong#5pass" }))
        {
            Assert.Equal("account_locked", (await PlatformClient.ProblemAsync(locking, HttpStatusCode.Locked))["code"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromMinutes(15), locking.Headers.RetryAfter!.Delta);
        }
        using (var right = await ChangeAsync(session, new { mobileNumber = newMobile, currentPassword = AccountSteps.Password }))
        {
            Assert.Equal("account_locked", (await PlatformClient.ProblemAsync(right, HttpStatusCode.Locked))["code"]!.GetValue<string>());
        }
        using (var signIn = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = candidate.IdNumber, password = AccountSteps.Password }))
        {
            Assert.Equal("account_locked", (await PlatformClient.ProblemAsync(signIn, HttpStatusCode.Locked))["code"]!.GetValue<string>());
        }
        var mine = await Client.GetJsonAsync("Registration", "/api/v1/registrations/me", session);
        Assert.Equal(candidate.Mobile, mine["mobileNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_candidate_without_an_own_password_changes_the_mobile_with_the_session_alone()
    {
        // 北京-style: every visit through the registration system's hand-over; and a password area's candidate before activation.
        var handedOver = await AccountSteps.RegisterAsync(Client, AccountsPlatform.AuthorisationArea, AccountsPlatform.AuthorisationSite);
        var notActivated = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        foreach (var candidate in new[] { handedOver, notActivated })
        {
            var newMobile = NotificationScenario.NewMobile();
            using var changed = await ChangeAsync(candidate.Token, new { mobileNumber = newMobile });
            await PlatformClient.EnsureAsync(changed, HttpStatusCode.OK);
            var mine = await Client.GetJsonAsync("Registration", "/api/v1/registrations/me", candidate.Token);
            Assert.Equal(newMobile, mine["mobileNumber"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_previous_number_is_warned_once_by_sms_naming_only_the_new_numbers_last_four_digits()
    {
        var candidate = await AccountSteps.RegisterAsync(Client, AccountsPlatform.AuthorisationArea, AccountsPlatform.AuthorisationSite);
        var @operator = await Client.OperatorTokenAsync();
        var newMobile = NotificationScenario.NewMobile();
        var before = DateTimeOffset.UtcNow;
        using (var changed = await ChangeAsync(candidate.Token, new { mobileNumber = newMobile }))
        {
            await PlatformClient.EnsureAsync(changed, HttpStatusCode.OK);
        }
        var after = DateTimeOffset.UtcNow;
        using (var again = await ChangeAsync(candidate.Token, new { mobileNumber = newMobile })) // the same number: no change, no second warning
        {
            await PlatformClient.EnsureAsync(again, HttpStatusCode.OK);
        }

        var atOldPhone = await Eventually.GetAsync(async () =>
        {
            var list = await NotificationScenario.StubMessagesAsync(Client, @operator, candidate.Mobile);
            return list.Count > 0 ? list : null;
        }, "the warning at the old number");
        var received = Assert.Single(atOldPhone)!;
        Assert.Equal(("北京考区", "SMS_EXR0006"), (received["signName"]!.GetValue<string>(), received["templateCode"]!.GetValue<string>()));
        var parameters = JsonNode.Parse(received["templateParam"]!.GetValue<string>())!;
        Assert.Equal(newMobile[^4..], parameters["mobileTail"]!.GetValue<string>());
        // Registration's time of the change, in Beijing time.
        Assert.Contains(parameters["changedAt"]!.GetValue<string>(), new[] { ChinaTime.ToMinute(before), ChinaTime.ToMinute(after) });
        Assert.DoesNotContain(newMobile, received.ToJsonString(), StringComparison.Ordinal);

        // Operators see it with the candidate's other SMS; the candidate's message centre does not hold it.
        var sms = Assert.Single(await Client.SmsForAsync(candidate.Id, @operator))!;
        Assert.Equal(("account-mobile-changed", candidate.Mobile), (sms["template"]!.GetValue<string>(), sms["mobileNumber"]!.GetValue<string>()));
        Assert.StartsWith("【北京考区】您在医师资格考试网上报名系统登记的手机号已于 ", sms["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"变更为尾号 {newMobile[^4..]} 的号码", sms["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await Client.GetJsonAsync("Notification", "/api/v1/notifications/me/messages", candidate.Token)).AsArray());
        Assert.Empty(await NotificationScenario.StubMessagesAsync(Client, @operator, newMobile));
    }

    private Task<HttpResponseMessage> ChangeAsync(string token, object body) =>
        Client.SendAsync(HttpMethod.Put, "Registration", Path, token, JsonContent.Create(body));
}
