using System.Security.Claims;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>The new mobile number and, when the candidate has a password account, its current password (step-up).</summary>
public sealed record UpdateContactRequest(string? MobileNumber, string? CurrentPassword = null);

/// <summary>
/// The candidate's own contact change. The rule — who must give the current password, what a wrong one costs — is
/// <see cref="CandidateRegistration.ChangeMobile"/>'s; the endpoint loads, calls, translates and commits, ending the
/// candidate's other sessions in the same commit when the number moved.
/// </summary>
public static class ContactApi
{
    public static void MapContactApi(this RouteGroupBuilder group)
    {
        group.MapPut("/me/contact", UpdateContact).RequireAuthorization(Policies.Candidate).RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithName("updateMyContact").WithSummary("修改本人的联系方式（手机号；已设密码的账户须输入当前密码，其他设备上的登录随之结束）")
            .WithDescription("Moves the calling candidate's mobile number. With a password account (password-activation areas) the request carries "
                + "currentPassword; a wrong one counts towards the account's lock-out like a wrong sign-in. When the number moves, every other "
                + "session of the candidate ends and this one stays. Candidates who come only through the registration system's hand-over have "
                + "no password here and need none.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "current_password_required", "current_password_wrong")
            .ProducesProblemCodes(StatusCodes.Status423Locked, "account_locked")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_busy", "registration_changed");
    }

    /// <summary>What a contact change needs: the body and the services it works with.</summary>
    public sealed record ContactChangeCall(
        UpdateContactRequest Request, ClaimsPrincipal User, RegistrationDbContext Db, PasswordHasher Hasher, HttpContext Http, TimeProvider Clock);

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> UpdateContact([AsParameters] ContactChangeCall call, CancellationToken ct)
    {
        var (request, user, db, hasher, http, clock) = call;
        if (request.MobileNumber is null || !CorrectableFields.MobilePattern().IsMatch(request.MobileNumber))
        {
            return Problems.Invalid("mobileNumber", RegistrationDraft.MobileZh, RegistrationDraft.MobileEn);
        }
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.");
        }
        var account = await db.Accounts().SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        var now = clock.GetUtcNow();
        var outcome = registration.ChangeMobile(request.MobileNumber, account, request.CurrentPassword, hasher, now);
        Guid? current = Guid.TryParse(user.FindFirstValue(PlatformClaims.SessionId), out var sid) ? sid : null;
        if (outcome.Changed is { } changed)
        {
            db.Publish(changed);
            // Whoever holds another session (a stolen one included) is signed out with the old number, in the same
            // commit; the session that made the change stays.
            await AccountSessions.RevokeAllAsync(db, candidateId, now, ct, keep: current);
        }
        AccountSessions.Record(db, candidateId, outcome.Events, http, now, current);
        try
        {
            await db.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            // The account (a racing sign-in or guess) or the registration (a racing change) was written meanwhile.
            return account is not null
                ? Problems.Conflict("account_busy", "账户正在处理另一个请求，请稍后重试。", "The account is handling another request; try again.")
                : Problems.Conflict("registration_changed", "报名信息刚被修改，请刷新后重试。", "The registration was changed meanwhile; reload and try again.");
        }
        return outcome.Refusal is { } refusal ? AccountSessions.Problem(refusal, http) : TypedResults.Ok(RegistrationsApi.ToResponse(registration));
    }
}
