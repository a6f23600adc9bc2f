using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ExamReview.DeploymentTests;

/// <summary>
/// Signs platform tokens the way the identity provider does in a deployment: HS256 over the deployment's signing
/// key (EXAMREVIEW_SIGNING_KEY), issuer and audience "examreview", the platform's claim names. Written here from
/// the JWT format itself, not with the services' development issuer, which compose keeps off.
/// </summary>
public sealed class IdentityProviderTokens(string signingKeyBase64, string issuer = "examreview", string audience = "examreview")
{
    private readonly byte[] _key = Convert.FromBase64String(signingKeyBase64);

    /// <summary>A token for a PlatformClient token request: { subject, role, candidateId?, site?, area? }.</summary>
    public string Issue(JsonObject request)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = request["subject"]!.GetValue<string>(),
            ["role"] = request["role"]!.GetValue<string>(),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
        if (request["candidateId"] is { } candidateId)
        {
            payload["candidate_id"] = candidateId.GetValue<Guid>().ToString();
        }
        foreach (var scope in new[] { "site", "area" })
        {
            if (request[scope] is { } value)
            {
                payload[scope] = value.GetValue<string>();
            }
        }
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var signed = $"{Base64Url(header.ToJsonString())}.{Base64Url(payload.ToJsonString())}";
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64Url(signature)}";
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
