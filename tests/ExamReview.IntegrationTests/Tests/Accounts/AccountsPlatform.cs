using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// Issue 18's platform: the embedded run with area 43 (湖南, the seed catalog's area) activating accounts by password
/// and holding results until its rounds close, area 11 (北京) authorising through the hand-over and publishing at once.
/// </summary>
public sealed class AccountsPlatform : EmbeddedPlatform
{
    public const string PasswordArea = "43";
    public const string PasswordSite = "4301";
    public const string AuthorisationArea = "11";
    public const string AuthorisationSite = "1101";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accounts__Areas__43__Activation"] = "Password",
        ["ReviewWorkflow__Publication__Areas__43__Mode"] = "HeldUntilRoundCloses",
        ["ReviewWorkflow__Publication__ScanInterval"] = "00:00:01",
        // Codes, resets and results to one number within a minute: the per-number limit must not hold them back here.
        ["Sms__RateLimit__PerMinute"] = "30",
    };
}

[CollectionDefinition(Name)]
public sealed class AccountsCollection : ICollectionFixture<AccountsPlatform>
{
    public const string Name = "accounts platform";
}

/// <summary>A registered candidate of these tests: their own ID number and mobile, so sign-in by ID number finds only them.</summary>
public sealed record AccountCandidate(Guid Id, string Token, string IdNumber, string Mobile);

public static class AccountSteps
{
    public const string Password = "Yikao#2027";
    public const string Accounts = "/api/v1/registrations/accounts";

    public static string NewIdNumber() => TestIdNumbers.New("37");

    public static async Task<AccountCandidate> RegisterAsync(PlatformClient client, string area, string site)
    {
        var id = Guid.NewGuid();
        var token = await client.CandidateTokenAsync(id);
        var idNumber = NewIdNumber();
        var mobile = NotificationScenario.NewMobile();
        using var response = await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(new
        {
            fullName = "李四",
            idNumber,
            mobileNumber = mobile,
            examYear = 2027,
            areaCode = area,
            siteCode = site,
            examCategory = "practitioner-clinical",
        }));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.Created);
        return new AccountCandidate(id, token, idNumber, mobile);
    }

    public static async Task<JsonNode> HandoverAsync(PlatformClient client, AccountCandidate candidate)
    {
        using var response = await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations/me/handover", candidate.Token);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public static Task<HttpResponseMessage> PostAsync(PlatformClient client, string path, object body, string? token = null) =>
        client.SendAsync(HttpMethod.Post, "Registration", Accounts + path, token, JsonContent.Create(body));

    /// <summary>The first hand-over in a password area, redeemed with <see cref="Password"/>: the session's token.</summary>
    public static async Task<string> ActivateAsync(PlatformClient client, AccountCandidate candidate)
    {
        var handover = await HandoverAsync(client, candidate);
        Assert.True(handover["activationRequired"]!.GetValue<bool>());
        using var response = await PostAsync(client, "/activation", new { authorization = handover["authorization"]!.GetValue<string>(), password = Password });
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
    }

    /// <summary>The provider template of the one-time-code SMS (its built-in text: 您的验证码为 ${code}…).</summary>
    public const string CodeTemplate = "SMS_EXR0005";

    /// <summary>The newest code texted to this mobile, read from the SMS provider stub (what the candidate's phone shows).</summary>
    public static async Task<string> WaitForCodeAsync(PlatformClient client, string mobile, int count)
    {
        var @operator = await client.OperatorTokenAsync();
        var codes = await Eventually.GetAsync(async () =>
        {
            var list = await NotificationScenario.StubMessagesAsync(client, @operator, mobile);
            var found = list.Where(m => m!["templateCode"]!.GetValue<string>() == CodeTemplate).ToList();
            return found.Count >= count ? found : null;
        }, $"{count} code SMS to {mobile}");
        Assert.Equal(count, codes.Count);
        var parameters = JsonNode.Parse(codes[^1]!["templateParam"]!.GetValue<string>())!;
        Assert.Equal("5", parameters["minutes"]!.GetValue<string>());
        return parameters["code"]!.GetValue<string>();
    }

    /// <summary>ID number + password, then the texted code: the session's token.</summary>
    public static async Task<string> SignInAsync(PlatformClient client, AccountCandidate candidate, string password, int codesSoFar)
    {
        using var first = await PostAsync(client, "/sign-in", new { idNumber = candidate.IdNumber, password });
        await PlatformClient.EnsureAsync(first, HttpStatusCode.OK);
        var challenge = (await first.Content.ReadFromJsonAsync<JsonNode>())!["challengeId"]!.GetValue<string>();
        var code = await WaitForCodeAsync(client, candidate.Mobile, codesSoFar + 1);
        using var second = await PostAsync(client, "/sign-in/code", new { challengeId = challenge, code });
        await PlatformClient.EnsureAsync(second, HttpStatusCode.OK);
        return (await second.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
    }

    public static async Task<HttpStatusCode> MyRegistrationStatusAsync(PlatformClient client, string token)
    {
        using var response = await client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        return response.StatusCode;
    }
}
