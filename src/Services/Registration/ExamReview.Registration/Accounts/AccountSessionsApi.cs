using System.Security.Claims;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Accounts;

public sealed record SignedOutResponse(int SessionsEnded);

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

public sealed record PasswordChangedResponse(DateTimeOffset ChangedAt, int OtherSessionsEnded);

public sealed record AccountAuditView(Guid Id, Guid CandidateId, DateTimeOffset At, string Kind, string Detail, string? ClientAddress, Guid? SessionId);

public sealed record AccountAuditPage(IReadOnlyList<AccountAuditView> Items);

/// <summary>
/// After sign-in: changing the password, ending every session, the check other services make, and the audit log
/// reviewers read.
/// </summary>
public static class AccountSessionsApi
{
    public static void MapAccountSessionsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/me/sign-out-everywhere", SignOutEverywhere).RequireAuthorization(Policies.Candidate).RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithTags("Accounts").WithName("signOutEverywhere").WithSummary("退出所有设备上的登录（结束本人全部会话）")
            .WithDescription("Ends every session of the calling candidate; their tokens are refused (401) from then on.");
        group.MapPost("/me/password", ChangePassword).RequireAuthorization(Policies.Candidate).RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithTags("Accounts").WithName("changePassword").WithSummary("修改密码（需当前密码；其他设备上的登录随之结束）")
            .WithDescription("The signed-in candidate sets a new password, giving the current one. Wrong current passwords count towards the account's lock-out; on success every other session ends and this one stays.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "current_password_required", "current_password_wrong", "weak_password", "password_unchanged")
            .ProducesProblemCodes(StatusCodes.Status423Locked, "account_locked")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_without_password", "account_not_active", "account_busy")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
        group.MapGet("/{candidateId:guid}/account-audit", Audit).RequireAuthorization(Policies.Reviewer)
            .WithTags("Accounts").WithName("listAccountAudit").WithSummary("审核员查看范围内考生的账户日志（登录、失败、锁定、重置、退出）")
            .WithDescription("The account audit log of a candidate in the reviewer's site or area, newest first (at most 200 rows); out of scope reads as not found.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
        // Both schemes authenticate, so a person's token is refused with 403 (not challenged); only a service credential has the role.
        group.MapGet("/internal/sessions/{sessionId:guid}", Check)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, ServiceTokens.Scheme).RequireRole(Roles.Service))
            .WithTags("Accounts").WithName("checkCandidateSession").WithSummary("（服务间）考生会话是否仍有效")
            .WithDescription("For other services' token validation: 204 while the candidate's session is open, 404 once ended or expired.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "session_not_found");
    }

    private static async Task<Ok<SignedOutResponse>> SignOutEverywhere(
        ClaimsPrincipal user, RegistrationDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var now = clock.GetUtcNow();
        var ended = await AccountSessions.RevokeAllAsync(db, candidateId, now, ct);
        Guid? current = Guid.TryParse(user.FindFirstValue(PlatformClaims.SessionId), out var sid) ? sid : null;
        AccountSessions.Record(db, candidateId, [new AccountAuditEvent(AccountAuditKind.SignedOutEverywhere, $"{ended} session(s) ended")], http, now, current);
        await db.CommitAsync(ct);
        return TypedResults.Ok(new SignedOutResponse(ended));
    }

    public sealed record PasswordChangeCall(
        PasswordChangeRequest Request,
        ClaimsPrincipal User,
        RegistrationDbContext Db,
        PasswordHasher Hasher,
        HttpContext Http,
        TimeProvider Clock,
        AccountOptions Accounts);

    private static async Task<Results<Ok<PasswordChangedResponse>, ProblemHttpResult>> ChangePassword([AsParameters] PasswordChangeCall call, CancellationToken ct)
    {
        var (request, user, db, hasher, http, clock, accounts) = call;
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.AsNoTracking().Where(r => r.CandidateId == candidateId)
            .Select(r => new { r.AreaCode, r.IdNumber, r.MobileNumber }).SingleOrDefaultAsync(ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "请先报名：账户从报名信息开始。", "Register first: the account starts from a registration.");
        }
        var account = await db.Accounts().SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        if (account is null)
        {
            // Signed in through the registration system's hand-over: an area without own passwords has nothing to
            // change here; a password area's candidate has not set one yet.
            return AccountSessions.Problem(accounts.ModeFor(registration.AreaCode) == ActivationMode.Password
                ? AccountRefusal.NotActive : AccountRefusal.NoOwnPassword, http);
        }
        var now = clock.GetUtcNow();
        var outcome = account.ChangePassword(request.CurrentPassword, request.NewPassword, registration.IdNumber, registration.MobileNumber, hasher, now);
        Guid? current = Guid.TryParse(user.FindFirstValue(PlatformClaims.SessionId), out var sid) ? sid : null;
        // Whoever knew the old password is signed out with it, in the same commit; the candidate's own session stays.
        var ended = outcome.Succeeded ? await AccountSessions.RevokeAllAsync(db, candidateId, now, ct, keep: current) : 0;
        AccountSessions.Record(db, candidateId, outcome.Events, http, now, current);
        if (await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            return busy;
        }
        return outcome.Refusal is { } refusal ? AccountSessions.Problem(refusal, http) : TypedResults.Ok(new PasswordChangedResponse(now, ended));
    }

    private static async Task<Results<Ok<AccountAuditPage>, ProblemHttpResult>> Audit(
        Guid candidateId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().Where(r => r.CandidateId == candidateId)
            .Select(r => new { r.SiteCode, r.AreaCode }).SingleOrDefaultAsync(ct);
        // Another site's or area's candidate answers exactly like a missing one.
        if (registration is null || !user.CanActFor(candidateId, registration.SiteCode, registration.AreaCode))
        {
            return Problems.NotFound("registration_not_found", "没有找到该考生。", "No such candidate.");
        }
        var rows = await db.AccountAudit().AsNoTracking().Where(a => a.CandidateId == candidateId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(200).ToListAsync(ct);
        return TypedResults.Ok(new AccountAuditPage(
            [.. rows.Select(a => new AccountAuditView(a.Id, a.CandidateId, a.At, a.Kind.ToString(), a.Detail, a.ClientAddress, a.SessionId))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Check(
        Guid sessionId, Guid candidateId, ICandidateSessionCheck sessions, CancellationToken ct) =>
        await sessions.IsOpenAsync(sessionId, candidateId, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("session_not_found", "会话不存在或已结束。", "The session does not exist or has ended.");
}
