using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>A provincial system registered as a machine client (configuration <c>Auth:MachineClients</c>).</summary>
public sealed class MachineClient
{
    public string ClientId { get; set; } = "";
    public string Secret { get; set; } = "";

    /// <summary>The province (考区 code) every call of this client is scoped to.</summary>
    public string Area { get; set; } = "";

    /// <summary>The name recorded as the actor of what the client pushes (e.g. 湖南省医师资格考试报名系统).</summary>
    public string Name { get; set; } = "";
}

/// <summary>The OAuth 2.0 token request of the client-credentials grant (RFC 6749 §4.4), form-encoded.</summary>
public sealed record ClientTokenForm(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret);

/// <summary>The token answer (RFC 6749 §5.1).</summary>
public sealed record ClientTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>
/// The development issuer's client-credentials grant: mints province tokens (role, area, client name) for the machine
/// clients configured here, so tests and a provincial team's trial run need no SSO. In production the configured
/// issuer (Auth:Authority) issues them; the services only validate. Mapped only when Auth:DevTokens:Enabled is true.
/// </summary>
public static class ClientCredentialsApi
{
    public const string Section = "Auth:MachineClients";
    public const string Path = "/dev/oauth/token";
    private const int LifetimeMinutes = 60;

    public static void MapClientCredentialsApi(this IEndpointRouteBuilder app, string routePrefix)
    {
        app.MapPost(routePrefix + Path, IssueAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            // JSON too: a body of another type then reaches the handler (an anonymous 400/415), not routing's 415 behind the fallback policy.
            .Accepts<ClientTokenForm>("application/x-www-form-urlencoded", "application/json")
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithTags("Development")
            .WithName("issueClientToken")
            .WithSummary("以客户端凭据签发省级系统令牌（仅开发用，grant_type=client_credentials）")
            .WithDescription("Client-credentials grant of the development issuer: a province token for a configured machine client.")
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "unsupported_grant_type")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, "invalid_client");
    }

    private static async Task<Results<Ok<ClientTokenResponse>, ProblemHttpResult>> IssueAsync(HttpRequest request, IConfiguration configuration, IServiceProvider services)
    {
        var form = await ReadAsync(request);
        if (form is null)
        {
            return Problems.Problems.Localised(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "令牌请求须为 application/x-www-form-urlencoded（或 JSON）。", "A token request must be application/x-www-form-urlencoded (or JSON).");
        }
        if (form.GrantType != "client_credentials")
        {
            return Problems.Problems.Localised(StatusCodes.Status400BadRequest, "unsupported_grant_type",
                "grant_type 必须为 client_credentials。", "grant_type must be client_credentials.");
        }
        var clients = configuration.GetSection(Section).Get<List<MachineClient>>() ?? [];
        var client = clients.FirstOrDefault(c => c.ClientId == form.ClientId);
        if (client is null || string.IsNullOrEmpty(client.Secret) || !SecretMatches(client.Secret, form.ClientSecret ?? ""))
        {
            return Problems.Problems.Localised(StatusCodes.Status401Unauthorized, "invalid_client",
                "客户端标识或密钥不正确。", "Unknown client or wrong secret.");
        }
        var issuer = services.GetRequiredService<DevTokenIssuer>();
        var token = issuer.Issue(new TokenRequest(client.ClientId, Roles.Province, Area: client.Area, LifetimeMinutes: LifetimeMinutes), sessionId: null,
            new Dictionary<string, string> { [ProvincialAccess.ClientNameClaim] = string.IsNullOrEmpty(client.Name) ? client.ClientId : client.Name });
        return TypedResults.Ok(new ClientTokenResponse(token.AccessToken, "Bearer", LifetimeMinutes * 60));
    }

    /// <summary>The grant's fields from the form (RFC 6749) or a JSON body; null for any other content type or a malformed body.</summary>
    private static async Task<ClientTokenForm?> ReadAsync(HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            return new ClientTokenForm(form["grant_type"].ToString(), form["client_id"].ToString(), form["client_secret"].ToString());
        }
        if (!request.HasJsonContentType())
        {
            return null;
        }
        try
        {
            return await request.ReadFromJsonAsync<ClientTokenForm>(ct) ?? new ClientTokenForm("", "", "");
        }
        catch (System.Text.Json.JsonException)
        {
            return new ClientTokenForm("", "", "");
        }
    }

    // Compared as hashes in constant time: the time taken says nothing about how much of the secret was right.
    private static bool SecretMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
