using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExamReview.UnitTests.Auth;

/// <summary>
/// With <c>Auth:Authority</c> (the national SSO), the services accept the provider's asymmetrically signed tokens from
/// its published keys, beside the platform's own HMAC tokens; a <c>sid</c> in the provider's token is the provider's
/// session and is not checked as one of the platform's, while a platform token's <c>sid</c> still is. Before, only
/// HMAC was accepted at all, and any <c>sid</c> was checked, so a provider's token was refused either way.
/// </summary>
public sealed class IdentityProviderTokenTests : IAsyncLifetime, IDisposable
{
    private const string Issuer = "https://sso.example.cn";
    private const string Audience = "examreview";
    private static readonly string PlatformKey = DevTokenIssuer.NewKey();
    private readonly RSA _providerRsa = RSA.Create(2048);
    private WebApplication _provider = null!;
    private WebApplication _service = null!;
    private HttpClient _http = null!;

    private RsaSecurityKey ProviderKey => new(_providerRsa) { KeyId = "sso-1" };

    public async Task InitializeAsync()
    {
        _provider = Start(WebApplication.CreateSlimBuilder());
        var jwks = new JsonWebKeySet();
        jwks.Keys.Add(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_providerRsa.ExportParameters(false)) { KeyId = "sso-1" }));
        var providerAddress = "";
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new { issuer = Issuer, jwks_uri = providerAddress + "/jwks" }));
        _provider.MapGet("/jwks", () => Results.Json(new { keys = jwks.Keys.Select(k => new { k.Kty, k.Kid, k.N, k.E, use = "sig", alg = "RS256" }) }));
        await _provider.StartAsync();
        providerAddress = AddressOf(_provider);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Auth:Issuer"] = Issuer;
        builder.Configuration["Auth:Audience"] = Audience;
        builder.Configuration["Auth:Authority"] = providerAddress;
        builder.Configuration["Auth:SigningKeys:0"] = PlatformKey;
        builder.Services.AddSingleton<ICandidateSessionCheck, EveryPlatformSessionEnded>();
        builder.AddPlatformAuth();
        _service = Start(builder);
        _service.UseAuthentication();
        _service.UseAuthorization();
        _service.MapGet("/me", () => "ok").RequireAuthorization(Policies.Candidate);
        await _service.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(AddressOf(_service)) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
        await _provider.DisposeAsync();
        _providerRsa.Dispose();
    }

    /// <summary>Disposing twice is harmless; <see cref="DisposeAsync"/> stops the hosts first.</summary>
    public void Dispose()
    {
        _http?.Dispose();
        ((IDisposable?)_service)?.Dispose();
        ((IDisposable?)_provider)?.Dispose();
        _providerRsa.Dispose();
    }

    [Fact]
    public async Task The_providers_token_is_accepted_and_its_own_sid_is_not_taken_for_a_platform_session()
    {
        var token = Sign(new SigningCredentials(ProviderKey, SecurityAlgorithms.RsaSha256), Guid.NewGuid());

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token));
    }

    [Fact]
    public async Task A_platform_token_of_an_ended_session_is_still_refused_and_one_without_a_session_accepted()
    {
        var platform = new SigningCredentials(DevTokenIssuer.KeyFromBase64(PlatformKey), SecurityAlgorithms.HmacSha256);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Sign(platform, Guid.NewGuid())));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Sign(platform, sessionId: null)));
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_provider_did_not_publish_is_refused()
    {
        using var stranger = RSA.Create(2048);
        var token = Sign(new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = "sso-1" }, SecurityAlgorithms.RsaSha256), sessionId: null);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(token));
    }

    private static string Sign(SigningCredentials credentials, Guid? sessionId)
    {
        var candidateId = Guid.NewGuid();
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = $"candidate-{candidateId:N}",
            [PlatformClaims.Role] = Roles.Candidate,
            [PlatformClaims.CandidateId] = candidateId.ToString(),
        };
        if (sessionId is { } sid)
        {
            claims[PlatformClaims.SessionId] = sid.ToString();
        }
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    private async Task<HttpStatusCode> StatusAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private static WebApplication Start(WebApplicationBuilder builder)
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Registration's answer for every platform session in these tests: ended.</summary>
    private sealed class EveryPlatformSessionEnded : ICandidateSessionCheck
    {
        public Task<bool> IsOpenAsync(Guid sessionId, Guid candidateId, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
