using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExamReview.ServiceDefaults.Auth;

public sealed record TokenRequest(string Subject, string Role, Guid? CandidateId = null, string? Site = null, string? Area = null, int? LifetimeMinutes = null);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Mints platform tokens with an HMAC key. Used by the development token endpoint (off unless enabled),
/// by tests, and by services for their own service-to-service calls when no SSO client is configured.
/// </summary>
public sealed class DevTokenIssuer(string issuer, string audience, string signingKeyBase64, TimeProvider? clock = null)
{
    private readonly SigningCredentials _credentials = new(KeyFromBase64(signingKeyBase64), SecurityAlgorithms.HmacSha256);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public DevTokenIssuer(AuthOptions options)
        : this(options.Issuer, options.Audience, options.SigningKeys.FirstOrDefault()
               ?? throw new InvalidOperationException("Auth:SigningKeys is empty: no key to sign tokens with."))
    {
    }

    public static SymmetricSecurityKey KeyFromBase64(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("An Auth signing key must be at least 32 bytes (256 bits).");
        }
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16] };
    }

    public static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <param name="sessionId">A candidate session's id (<c>sid</c>), checked on every request; only Registration's sign-in passes one.</param>
    /// <param name="extraClaims">Further string claims, e.g. a machine client's <c>client_name</c>.</param>
    public TokenResponse Issue(TokenRequest request, Guid? sessionId = null, IReadOnlyDictionary<string, string>? extraClaims = null)
    {
        var now = _clock.GetUtcNow();
        var expires = now.AddMinutes(Math.Clamp(request.LifetimeMinutes ?? 60, 1, 24 * 60));
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = request.Subject,
            [PlatformClaims.Role] = request.Role,
        };
        if (request.CandidateId is { } candidateId)
        {
            claims[PlatformClaims.CandidateId] = candidateId.ToString();
        }
        if (!string.IsNullOrEmpty(request.Site))
        {
            claims[PlatformClaims.Site] = request.Site;
        }
        if (!string.IsNullOrEmpty(request.Area))
        {
            claims[PlatformClaims.Area] = request.Area;
        }
        if (sessionId is { } sid)
        {
            claims[PlatformClaims.SessionId] = sid.ToString();
        }
        foreach (var (name, value) in extraClaims ?? new Dictionary<string, string>())
        {
            claims.TryAdd(name, value);
        }

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
        return new TokenResponse(token, expires);
    }
}
