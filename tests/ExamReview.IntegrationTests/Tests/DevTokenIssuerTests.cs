using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// The embedded host given real signing keys, and asked for the development issuer anyway: the issuer must not run
/// (it would mint tokens with the real key); tokens come from the identity provider that holds the key.
/// </summary>
public sealed class ConfiguredKeyPlatform : EmbeddedPlatform
{
    public static readonly string SigningKey = DevTokenIssuer.NewKey();

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Auth__SigningKeys__0"] = SigningKey,
        ["Auth__DevTokens__Enabled"] = "true",
    };
}

public sealed class DevTokenIssuerTests(ConfiguredKeyPlatform platform) : IClassFixture<ConfiguredKeyPlatform>
{
    [Fact]
    public async Task With_a_configured_signing_key_the_development_issuer_is_not_mapped_even_when_asked_for()
    {
        // A token signed with the configured key, as the identity provider would sign it, is accepted...
        var issued = new DevTokenIssuer("examreview-dev", "examreview", ConfiguredKeyPlatform.SigningKey).Issue(new TokenRequest("operator", Roles.Operator)).AccessToken;

        // ...and even with it, no service has a token endpoint: not mapped at all (anonymous callers get 401 first).
        foreach (var service in new[] { "Registration", "MaterialStorage", "ReviewWorkflow", "Notification" })
        {
            Assert.Equal(HttpStatusCode.NotFound, await AskForTokenAsync(service, issued));
        }

        using var accepted = await platform.Client.SendAsync(HttpMethod.Get, "Notification", $"/api/v1/notifications/sms?candidateId={Guid.NewGuid()}", issued);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private async Task<HttpStatusCode> AskForTokenAsync(string service, string bearer)
    {
        using var request = JsonContent.Create(new { subject = "mallory", role = "operator" });
        using var response = await platform.Client.SendAsync(HttpMethod.Post, service, "/api/v1/dev/tokens", bearer, request);
        return response.StatusCode;
    }
}
