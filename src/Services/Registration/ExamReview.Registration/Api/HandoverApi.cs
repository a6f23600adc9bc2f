using System.Security.Claims;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>The authorisation the client posts to MaterialStorage's session endpoint (授权/激活).</summary>
/// <remarks><c>ActivationRequired</c>: the area activates by password and this candidate has not yet; the authorisation is
/// then redeemable only at <c>ExchangePath</c> = Registration's activation, together with the new password.</remarks>
public sealed record HandoverResponse(string Authorization, DateTimeOffset ExpiresAt, string ExchangePath, bool ActivationRequired = false);

public static class HandoverApi
{
    /// <summary>MaterialStorage's exchange endpoint, relative to its base URL.</summary>
    public const string ExchangePath = "/api/v1/materials/sessions";

    public static void MapHandoverApi(this RouteGroupBuilder group)
    {
        group.MapPost("/me/handover", Issue).RequireAuthorization(Policies.Candidate).RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithName("issueHandover").WithSummary("上传相关材料：签发两分钟有效、一次性的材料服务授权")
            .WithDescription("上传相关材料: a two-minute, single-use authorisation for the candidate service system (MaterialStorage).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
    }

    private static async Task<Results<Ok<HandoverResponse>, ProblemHttpResult>> Issue(
        ClaimsPrincipal user, RegistrationDbContext db, HandoverTokens tokens, AccountOptions accounts, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "请先报名：材料上传从报名信息开始。", "Register first: the hand-over starts from a registration.");
        }
        if (accounts.ModeFor(registration.AreaCode) == ActivationMode.Password && !await db.Accounts().AnyAsync(a => a.CandidateId == candidateId, ct))
        {
            var activation = tokens.Issue(candidateId, registration.RegistrationNumber, HandoverTokens.ActivationPurpose);
            return TypedResults.Ok(new HandoverResponse(activation.Authorization, activation.ExpiresAt, AccountsApi.ActivationPath, ActivationRequired: true));
        }
        // Inside a signed-in session the material session belongs to it and ends no later; the SSO's tokens carry none.
        // The authentication already refused a session that is not open, so its row is there.
        HandoverSession? session = null;
        if (Guid.TryParse(user.FindFirstValue(PlatformClaims.SessionId), out var sid))
        {
            var endsAt = await db.CandidateSessions().Where(s => s.Id == sid && s.CandidateId == candidateId).Select(s => s.ExpiresAt).SingleAsync(ct);
            session = new HandoverSession(sid, endsAt);
        }
        var grant = tokens.Issue(candidateId, registration.RegistrationNumber, session: session);
        return TypedResults.Ok(new HandoverResponse(grant.Authorization, grant.ExpiresAt, ExchangePath));
    }
}
