using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// The probe's account takeover: sign-in and reset resolved an ID number to whichever registration carried it, so
/// whoever registered a person's number could receive that person's codes. Now the number belongs to the registration
/// that holds it in the year, a second registration of it is refused, and sign-in and reset reach the holder.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountIdNumberHolderTests(AccountsPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task Nobody_else_can_register_an_account_holders_number_and_sign_in_texts_the_holder()
    {
        var holder = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        await AccountSteps.ActivateAsync(Client, holder);

        // Someone else registers the holder's number with their own mobile: refused, so there is no second registration to reach.
        var impostor = await Client.CandidateTokenAsync(Guid.NewGuid());
        var impostorMobile = PlatformClient.NewMobileNumber();
        using (var copy = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", impostor, JsonContent.Create(
            PlatformClient.RegistrationBody(AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite, impostorMobile, holder.IdNumber))))
        {
            Assert.Equal("id_number_registered", (await PlatformClient.ProblemAsync(copy, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        }

        using var signIn = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber = holder.IdNumber, password = AccountSteps.Password });
        await PlatformClient.EnsureAsync(signIn, HttpStatusCode.OK);
        var challenge = (await signIn.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal(holder.Mobile[..3] + "****" + holder.Mobile[^4..], challenge["maskedMobile"]!.GetValue<string>());
        var code = await AccountSteps.WaitForCodeAsync(Client, holder.Mobile, 1);
        using var signedIn = await AccountSteps.PostAsync(Client, "/sign-in/code", new { challengeId = challenge["challengeId"]!.GetValue<string>(), code });
        await PlatformClient.EnsureAsync(signedIn, HttpStatusCode.OK);
        Assert.Equal(holder.Id.ToString(), (await signedIn.Content.ReadFromJsonAsync<JsonNode>())!["candidateId"]!.GetValue<string>());

        // The reset code goes to the holder's phone too, never to the impostor's.
        using (var reset = await AccountSteps.PostAsync(Client, "/password-reset", new { idNumber = holder.IdNumber }))
        {
            Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        }
        await AccountSteps.WaitForCodeAsync(Client, holder.Mobile, 2);
        Assert.Empty(await NotificationScenario.StubMessagesAsync(Client, await Client.OperatorTokenAsync(), impostorMobile));
    }

    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/password-reset")]
    public async Task A_number_of_the_wrong_shape_is_named_at_once_and_a_wrong_check_character_is_looked_up_like_any_number(string path)
    {
        // The shape's 400 depends on the input alone (checked before any lookup), so it tells nothing about accounts.
        using (var response = await AccountSteps.PostAsync(Client, path, new { idNumber = "12345", password = AccountSteps.Password }))
        {
            var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("18 位居民身份证号码", problem["errors"]!["idNumber"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // A wrong check character or date is looked up like any number (a registration stored before the full rule must
        // still reach its account), and answers as a number without an account does.
        foreach (var idNumber in new[] { "43010119900101123X", TestIdNumbers.WithCheckCharacter("37010219901301123") })
        {
            using var response = await AccountSteps.PostAsync(Client, path, new { idNumber, password = AccountSteps.Password });
            Assert.Equal(path == "/sign-in" ? HttpStatusCode.Unauthorized : HttpStatusCode.Accepted, response.StatusCode);
        }
    }
}
