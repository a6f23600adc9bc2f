using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExamReview.ServiceDefaults.Auth;

public sealed record HandoverGrant(string Authorization, Guid TokenId, DateTimeOffset ExpiresAt);

/// <summary>The signed-in session (<c>sid</c>) a hand-over was asked for in, and when that sign-in ends.</summary>
public sealed record HandoverSession(Guid Id, DateTimeOffset EndsAt);

/// <param name="Session">The candidate session the hand-over was asked for in, if any: the session minted from it belongs to it and ends no later.</param>
public sealed record HandoverClaims(Guid TokenId, Guid CandidateId, string RegistrationNumber, DateTimeOffset ExpiresAt, HandoverSession? Session = null);

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
/// - A hand-over asked for inside a signed-in session (Registration's sign-in, <c>sid</c>) carries that session, and so
///   does the session minted from it: signing out everywhere or resetting the password ends it too, and it cannot be
///   traded for fresh hand-overs to outlive the sign-in. It also carries when the sign-in ends, so the minted session
///   says honestly when it will stop working instead of being refused early by the session check.
/// </summary>
public sealed class HandoverTokens(AuthOptions options, TimeProvider clock)
{
    public const string Audience = "examreview-handover";
    public const string Purpose = "material-handover";
    /// <summary>The first hand-over in a password-activation area: redeemable only at Registration's activation, never for a session here.</summary>
    public const string ActivationPurpose = "account-activation";
    public const string PurposeClaim = "purpose";
    public const string RegistrationNumberClaim = "registration_number";
    /// <summary>When the sign-in named by <c>sid</c> ends (Unix seconds).</summary>
    public const string SessionEndsClaim = "sid_exp";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly JsonWebTokenHandler _handler = new();

    public HandoverGrant Issue(Guid candidateId, string registrationNumber, string purpose = Purpose, HandoverSession? session = null)
    {
        var key = options.SigningKeys.FirstOrDefault()
            ?? throw new InvalidOperationException("Hand-over needs Auth:SigningKeys: no key to sign the authorisation with.");
        var now = clock.GetUtcNow();
        var tokenId = Guid.NewGuid();
        var expires = now.Add(Lifetime);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Jti] = tokenId.ToString(),
            [PlatformClaims.Subject] = $"candidate-{candidateId:N}",
            [PlatformClaims.CandidateId] = candidateId.ToString(),
            [RegistrationNumberClaim] = registrationNumber,
            [PurposeClaim] = purpose,
        };
        if (session is not null)
        {
            claims[PlatformClaims.SessionId] = session.Id.ToString();
            claims[SessionEndsClaim] = session.EndsAt.ToUnixTimeSeconds();
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
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
        HandoverSession? session = null;
        if (token.TryGetPayloadValue<string>(PlatformClaims.SessionId, out var sidText))
        {
            // A session without its end is not something Registration issues: refused rather than minted open-ended.
            if (!Guid.TryParse(sidText, out var sid) || !token.TryGetPayloadValue<long>(SessionEndsClaim, out var endsAt))
            {
                return (null, HandoverRefusal.Invalid, "The authorisation names a session without its end.");
            }
            session = new HandoverSession(sid, DateTimeOffset.FromUnixTimeSeconds(endsAt));
        }
        return (new HandoverClaims(tokenId, candidateId, registrationNumber ?? "", expires, session), HandoverRefusal.None, "");
    }
}
