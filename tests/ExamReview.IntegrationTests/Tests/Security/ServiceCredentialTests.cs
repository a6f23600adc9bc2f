using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>The embedded host with configured platform and service keys, so the test can sign as the identity provider and as a service.</summary>
public sealed class ServiceCredentialPlatform : EmbeddedPlatform
{
    public static readonly string SigningKey = DevTokenIssuer.NewKey();
    public static readonly string ServiceKey = DevTokenIssuer.NewKey();

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Auth__SigningKeys__0"] = SigningKey,
        ["Auth__ServiceKeys__0"] = ServiceKey,
    };

    public static string ServiceCredential(string callee, string key) =>
        new ServiceTokens(new AuthOptions { ServiceKeys = [key] }, TimeProvider.System).Issue("materialstorage", callee);
}

/// <summary>
/// Issue 15 item 1, second half: calls between services carry a credential for the one callee, signed with the service
/// keys, accepted only where an endpoint asks for it; a platform token claiming the service role is worth nothing.
/// </summary>
public sealed class ServiceCredentialTests(ServiceCredentialPlatform platform) : IClassFixture<ServiceCredentialPlatform>
{
    private const string Normalise = "/api/v1/validation/normalise";

    [Fact]
    public async Task A_service_credential_opens_the_internal_endpoint_it_is_for_and_nothing_else()
    {
        var credential = ServiceCredentialPlatform.ServiceCredential("imagevalidation", ServiceCredentialPlatform.ServiceKey);
        using (var accepted = await NormaliseAsync(credential))
        {
            // Accepted: the junk is judged (422 findings), not refused at the door.
            Assert.Equal(HttpStatusCode.UnprocessableEntity, accepted.StatusCode);
        }
        // The same credential on a person's API: not a platform token, so not signed in at all.
        using (var elsewhere = await platform.Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{Guid.NewGuid()}", credential))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        }
        // For a service this host does not run, or signed with the platform key instead of the service key: refused.
        foreach (var wrong in new[]
        {
            ServiceCredentialPlatform.ServiceCredential("payments", ServiceCredentialPlatform.ServiceKey),
            ServiceCredentialPlatform.ServiceCredential("imagevalidation", ServiceCredentialPlatform.SigningKey),
        })
        {
            using var refused = await NormaliseAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task A_platform_token_claiming_the_service_role_is_refused_everywhere()
    {
        // What services used to sign for each other: a platform token with the service role.
        var selfSigned = new DevTokenIssuer("examreview-dev", "examreview", ServiceCredentialPlatform.SigningKey)
            .Issue(new TokenRequest("service:materialstorage", Roles.Service)).AccessToken;
        foreach (var (service, path) in new[] { ("ImageValidation", Normalise), ("MaterialStorage", $"/api/v1/materials/candidates/{Guid.NewGuid()}"), ("Registration", $"/api/v1/registrations/{Guid.NewGuid()}") })
        {
            using var response = service == "ImageValidation"
                ? await NormaliseAsync(selfSigned)
                : await platform.Client.SendAsync(HttpMethod.Get, service, path, selfSigned);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private async Task<HttpResponseMessage> NormaliseAsync(string token)
    {
        using var form = PlatformClient.ImageForm("id-card", "not an image"u8.ToArray());
        return await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", Normalise, token, form);
    }
}

/// <summary>The development issuer mints tokens for people only.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class DevIssuerServiceRoleTests(EmbeddedPlatform platform)
{
    [Fact]
    public async Task The_development_issuer_refuses_the_service_role()
    {
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/dev/tokens", token: null,
            JsonContent.Create(new { subject = "mallory", role = "service" }));
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("role"));
    }
}
