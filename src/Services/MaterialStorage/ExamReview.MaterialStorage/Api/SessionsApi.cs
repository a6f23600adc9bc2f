using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

public sealed record SessionRequest(string? Authorization);

public sealed record SessionResponse(string AccessToken, DateTimeOffset ExpiresAt, Guid CandidateId, string RegistrationNumber);

/// <summary>
/// 授权/激活: exchanges Registration's hand-over authorisation for the candidate's session here (see
/// <see cref="HandoverTokens"/> for why the authorisation is safe to carry through a browser). The session is a
/// platform token (role candidate, this candidate only) minted with the platform key; the authorisation's id is
/// recorded in the same step, under a primary key, so it can be exchanged once, even by racing requests.
/// </summary>
public static class SessionsApi
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(60);

    /// <summary>Sessions are minted in whole minutes: a sign-in with less than this left cannot hand one over.</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromMinutes(1);

    public static void MapSessionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(MaterialsApi.Prefix + "/sessions", Exchange)
            .AllowAnonymous() // the authorisation in the body is the credential
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithTags("Sessions")
            .WithName("exchangeHandover").WithSummary("用报名服务的一次性授权换取考生会话")
            .WithDescription("Exchanges a hand-over authorisation from Registration for a candidate session (single use).")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, "authorization_expired", "authorization_invalid", "sign_in_ending").ProducesProblemCodes(StatusCodes.Status409Conflict, "authorization_used");
    }

    public sealed record SessionExchangeCall(
        SessionRequest Request,
        HandoverTokens Handover,
        IServiceProvider Services,
        MaterialStorageDbContext Db,
        TimeProvider Clock);

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Exchange([AsParameters] SessionExchangeCall call, CancellationToken ct)
    {
        var (request, handover, services, db, clock) = call;
        var (claims, refusal, detail) = await handover.ValidateAsync(request.Authorization);
        if (claims is null)
        {
            return refusal == HandoverRefusal.Expired
                ? Problems.Localised(StatusCodes.Status401Unauthorized, "authorization_expired", "授权已过期，请回到报名系统重新进入。", detail)
                : Problems.Localised(StatusCodes.Status401Unauthorized, "authorization_invalid", "授权无效，请回到报名系统重新进入。", detail);
        }
        if (services.GetService<DevTokenIssuer>() is not { } issuer)
        {
            return Problems.Localised(StatusCodes.Status503ServiceUnavailable, "sessions_unavailable",
                "本部署没有平台签名密钥（Auth:SigningKeys），请通过统一登录进入。",
                "This deployment has no platform signing key (Auth:SigningKeys); sessions come from the SSO instead.");
        }
        var now = clock.GetUtcNow();
        // A session handed over from a sign-in ends with it (the session check would refuse it from then on anyway):
        // the token says so, rather than looking valid for an hour and being refused early.
        var lifetime = SessionLifetime;
        if (claims.Session is { } signedIn)
        {
            var left = signedIn.EndsAt - now;
            if (left < MinimumLifetime)
            {
                return Problems.Localised(StatusCodes.Status401Unauthorized, "sign_in_ending", "您的登录即将到期，请重新登录后再进入材料上传。",
                    $"The sign-in this authorisation came from ends at {signedIn.EndsAt:O}; sign in again.");
            }
            lifetime = left < lifetime ? left : lifetime;
        }
        // Expired authorisations are refused before this point, so their rows can go (with a margin for replicas' clocks).
        var forgettable = now - HandoverTokens.Lifetime - TimeSpan.FromMinutes(10);
        await db.RedeemedHandovers.Where(h => h.ExpiresAt < forgettable).ExecuteDeleteAsync(ct);
        db.RedeemedHandovers.Add(new RedeemedHandover { TokenId = claims.TokenId, CandidateId = claims.CandidateId, RedeemedAt = now, ExpiresAt = claims.ExpiresAt });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            return Problems.Conflict("authorization_used", "该授权已经使用过，请回到报名系统重新进入。",
                "This authorisation has already been used; start again from the registration system.");
        }
        var session = issuer.Issue(new TokenRequest($"candidate-{claims.CandidateId:N}", Roles.Candidate, claims.CandidateId,
            LifetimeMinutes: (int)lifetime.TotalMinutes), claims.Session?.Id);
        return TypedResults.Ok(new SessionResponse(session.AccessToken, session.ExpiresAt, claims.CandidateId, claims.RegistrationNumber));
    }
}
