using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExamReview.ServiceDefaults.Auth;

public sealed record HandoverGrant(string Authorization, Guid TokenId, DateTimeOffset ExpiresAt);

public sealed record HandoverClaims(Guid TokenId, Guid CandidateId, string RegistrationNumber, DateTimeOffset ExpiresAt);

public enum HandoverRefusal
{
    None = 0,
    Invalid = 1,
    Expired = 2,
}

/// <summary>
/// The seeds' 授权/激活 step: Registration hands a candidate over to the candidate service system
/// (MaterialStorage), which exchanges the authorisation for a session of its own.
///
/// Why it is sound:
/// - It is a JWT signed with the platform's key (Auth:SigningKeys, the first signs, all verify, so keys rotate),
///   so it cannot be forged or altered by the browser that carries it.
/// - Its audience is <see cref="Audience"/>, not the platform audience, and it carries no role: the bearer
///   middleware of every service refuses it, so a leaked authorisation is never itself an access token.
/// - It lives <see cref="Lifetime"/> (two minutes, no clock skew allowance) and names one candidate.
/// - It is single-use: the exchanging service records its <c>jti</c> under a primary key in its own database
///   in the same transaction that grants the session, so a replay (even racing, on another replica) is refused.
/// Only the exchanging service mints the session, with the same key, for the candidate named in the token.
/// </summary>
public sealed class HandoverTokens(AuthOptions options, TimeProvider clock)
{
    public const string Audience = "examreview-handover";
    public const string Purpose = "material-handover";
    /// <summary>The first hand-over in a password-activation area: redeemable only at Registration's activation, never for a session here.</summary>
    public const string ActivationPurpose = "account-activation";
    public const string PurposeClaim = "purpose";
    public const string RegistrationNumberClaim = "registration_number";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly JsonWebTokenHandler _handler = new();

    public HandoverGrant Issue(Guid candidateId, string registrationNumber, string purpose = Purpose)
    {
        var key = options.SigningKeys.FirstOrDefault()
            ?? throw new InvalidOperationException("Hand-over needs Auth:SigningKeys: no key to sign the authorisation with.");
        var now = clock.GetUtcNow();
        var tokenId = Guid.NewGuid();
        var expires = now.Add(Lifetime);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Jti] = tokenId.ToString(),
                [PlatformClaims.Subject] = $"candidate-{candidateId:N}",
                [PlatformClaims.CandidateId] = candidateId.ToString(),
                [RegistrationNumberClaim] = registrationNumber,
                [PurposeClaim] = purpose,
            },
            SigningCredentials = new SigningCredentials(DevTokenIssuer.KeyFromBase64(key), SecurityAlgorithms.HmacSha256),
        });
        return new HandoverGrant(token, tokenId, expires);
    }

    /// <summary>Checks signature, issuer, audience, purpose and lifetime; single use is the caller's job (its database).</summary>
    public async Task<(HandoverClaims? Claims, HandoverRefusal Refusal, string Detail)> ValidateAsync(string? authorization, string expectedPurpose = Purpose)
    {
        if (string.IsNullOrWhiteSpace(authorization) || authorization.Length > 4096)
        {
            return (null, HandoverRefusal.Invalid, "The authorisation is missing or malformed.");
        }
        var result = await _handler.ValidateTokenAsync(authorization, new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = false, // checked below against the injected clock, without skew
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            IssuerSigningKeys = options.SigningKeys.Select(DevTokenIssuer.KeyFromBase64).ToList(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return (null, HandoverRefusal.Invalid, "The authorisation was not issued by the registration system (bad signature, issuer or audience).");
        }
        if (!token.TryGetPayloadValue<string>(PurposeClaim, out var purpose) || purpose != expectedPurpose
            || !Guid.TryParse(token.Id, out var tokenId)
            || !token.TryGetPayloadValue<string>(PlatformClaims.CandidateId, out var candidateText) || !Guid.TryParse(candidateText, out var candidateId))
        {
            return (null, HandoverRefusal.Invalid, "The token is not a hand-over authorisation.");
        }
        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        var now = clock.GetUtcNow();
        if (token.ValidTo == DateTime.MinValue || now >= expires || now < new DateTimeOffset(token.ValidFrom, TimeSpan.Zero))
        {
            return (null, HandoverRefusal.Expired, $"The authorisation expired at {expires:O}; start again from the registration system.");
        }
        token.TryGetPayloadValue<string>(RegistrationNumberClaim, out var registrationNumber);
        return (new HandoverClaims(tokenId, candidateId, registrationNumber ?? "", expires), HandoverRefusal.None, "");
    }
}
