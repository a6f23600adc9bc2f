using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExamReview.ServiceDefaults.Auth;

/// <summary>
/// Credentials for calls between services, kept apart from everything a person can hold:
/// - signed with the service keys (<c>Auth:ServiceKeys</c>; the platform signing keys only where none are configured),
///   never by the development token issuer, which refuses the service role altogether;
/// - the audience is the one callee (<see cref="AudienceFor"/>), not the platform audience: the platform's bearer
///   scheme refuses them, and only endpoints that name the <see cref="Scheme"/> (internal ones) accept them;
/// - the subject names the caller, and they live five minutes.
/// Platform tokens that claim the service role are refused (see <see cref="PlatformAuthExtensions"/>), so a person's
/// token can never pass for a service.
/// </summary>
public sealed class ServiceTokens(AuthOptions options, TimeProvider clock)
{
    /// <summary>The authentication scheme that accepts service credentials, and only those.</summary>
    public const string Scheme = "service";

    public const string AudiencePrefix = "examreview-service:";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>The audience of credentials for one service, by its discovery name (e.g. <c>imagevalidation</c>).</summary>
    public static string AudienceFor(string service) => AudiencePrefix + service.ToLowerInvariant();

    /// <summary>The keys service credentials are signed with (the first) and checked against (all, so they rotate).</summary>
    public static IReadOnlyList<string> Keys(AuthOptions options) => options.ServiceKeys.Count > 0 ? options.ServiceKeys : options.SigningKeys;

    public string Issue(string caller, string callee)
    {
        var keys = Keys(options);
        if (keys.Count == 0)
        {
            throw new InvalidOperationException("Calls between services need Auth:ServiceKeys (or Auth:SigningKeys): no key to sign them with.");
        }
        var key = keys[0];
        var now = clock.GetUtcNow();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = AudienceFor(callee),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(Lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [PlatformClaims.Subject] = $"service:{caller.ToLowerInvariant()}",
                [PlatformClaims.Role] = Roles.Service,
            },
            SigningCredentials = new SigningCredentials(DevTokenIssuer.KeyFromBase64(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
