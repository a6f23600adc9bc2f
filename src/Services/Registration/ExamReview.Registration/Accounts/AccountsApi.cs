using ExamReview.Registration.Api;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.OpenApi;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Accounts;

public sealed record ActivationRequest(string? Authorization, string? Password);

public sealed record SignInRequest(string? IdNumber, string? Password);

public sealed record CodeRequest(Guid ChallengeId, string? Code);

public sealed record PasswordResetRequest(string? IdNumber);

public sealed record PasswordResetConfirmation(Guid ChallengeId, string? Code, string? NewPassword);

/// <summary>
/// Candidate accounts in password-activation areas: activation with the first hand-over, direct sign-in (ID number +
/// password, then an SMS code), password reset by SMS code. Anonymous by nature (the request carries the credential),
/// so each endpoint is rate-limited per address on top of the account's own lock-out. Endpoints load, call the
/// <see cref="CandidateAccount"/>, record its audit events, commit; they decide nothing themselves.
/// </summary>
public static class AccountsApi
{
    public const string ActivationPath = RegistrationsApi.Prefix + "/accounts/activation";

    public static void MapAccountsApi(this RouteGroupBuilder group)
    {
        var accounts = group.MapGroup("/accounts").WithTags("Accounts").AllowAnonymous().RequireRateLimiting(RateLimitPolicies.PerClientAndAddress);
        accounts.MapPost("/activation", Activate).WithName("activateAccount").WithSummary("首次进入：用报名系统的授权设置密码并激活账户")
            .WithDescription("Password-activation areas: redeems the first hand-over authorisation (purpose account-activation) with a new password; the account is active and a session starts.")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, "authorization_expired", "authorization_invalid")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_already_active", "account_busy")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "weak_password");
        accounts.MapPost("/sign-in", SignIn).WithName("signInWithPassword").WithSummary("考生登录第一步：证件号码 + 密码，验证码发送至报名手机")
            .WithDescription("Direct sign-in, step one: ID number and password; an SMS code goes to the registered mobile. An ID number without an account answers exactly like a wrong password, lock-out included.")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, "invalid_credentials")
            .ProducesProblemCodes(StatusCodes.Status423Locked, "account_locked")
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, "code_recently_sent")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_busy");
        accounts.MapPost("/sign-in/code", CompleteSignIn).WithName("completeSignIn").WithSummary("考生登录第二步：短信验证码，成功后开始会话")
            .WithDescription("Direct sign-in, step two: the SMS code; starts a session whose token carries its id (sid).")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, "code_invalid", "code_expired")
            .ProducesProblemCodes(StatusCodes.Status423Locked, "account_locked")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_busy");
        accounts.MapPost("/password-reset", RequestReset).WithName("requestPasswordReset").WithSummary("忘记密码：向报名手机发送重置验证码")
            .WithDescription("Sends a password-reset code to the registered mobile of an active account; the answers, the resend cool-down included, are the same for any ID number.")
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, "code_recently_sent")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_busy");
        accounts.MapPost("/password-reset/confirm", ConfirmReset).WithName("confirmPasswordReset").WithSummary("用短信验证码设置新密码（解除锁定，结束所有会话）")
            .WithDescription("Sets a new password with the reset code; clears the lock-out and ends every session.")
            .ProducesProblemCodes(StatusCodes.Status401Unauthorized, "code_invalid")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "weak_password", "password_unchanged")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "account_busy");
    }

    /// <summary>What an activation needs: the body (authorisation and new password) and the services it works with.</summary>
    public sealed record ActivationCall(
        ActivationRequest Request,
        HandoverTokens Handover,
        IServiceProvider Services,
        RegistrationDbContext Db,
        PasswordHasher Hasher,
        HttpContext Http,
        TimeProvider Clock);

    private static async Task<Results<Ok<SignedInResponse>, ProblemHttpResult>> Activate([AsParameters] ActivationCall call, CancellationToken ct)
    {
        var (request, db, http) = (call.Request, call.Db, call.Http);
        var (claims, refusal, detail) = await call.Handover.ValidateAsync(request.Authorization, HandoverTokens.ActivationPurpose);
        if (claims is null)
        {
            return refusal == HandoverRefusal.Expired
                ? Problems.Localised(StatusCodes.Status401Unauthorized, "authorization_expired", "授权已过期，请回到报名系统重新进入。", detail)
                : Problems.Localised(StatusCodes.Status401Unauthorized, "authorization_invalid", "授权无效，请回到报名系统重新进入。", detail);
        }
        if (call.Services.GetService<DevTokenIssuer>() is not { } issuer)
        {
            return SessionsUnavailable();
        }
        // Tracked: the activation moves the registration's version (CandidateRegistration.ActivateAccount says why).
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == claims.CandidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "请先报名：账户从报名信息开始。", "Register first: the account starts from a registration.");
        }
        if (await db.Accounts().AnyAsync(a => a.CandidateId == claims.CandidateId, ct))
        {
            return AccountSessions.Problem(AccountRefusal.AlreadyActive, http);
        }
        var now = call.Clock.GetUtcNow();
        var (account, outcome) = registration.ActivateAccount(request.Password, call.Hasher, now);
        if (account is null)
        {
            return AccountSessions.Problem(outcome.Refusal!, http);
        }
        db.Accounts().Add(account);
        var session = AccountSessions.Open(db, issuer, account.CandidateId, "activation", now);
        AccountSessions.Record(db, account.CandidateId, outcome.Events, http, now, session.SessionId);
        if (await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            // Racing activations with the same authorisation: the account's key lets one through, and the other is told
            // it is active. A registration changed meanwhile (its mobile, which the password rule checks against; a
            // review status) is only busy: nothing was written, and the same authorisation may try again.
            return await db.Accounts().AsNoTracking().AnyAsync(a => a.CandidateId == claims.CandidateId, ct)
                ? AccountSessions.Problem(AccountRefusal.AlreadyActive, http)
                : busy;
        }
        return TypedResults.Ok(session);
    }

    /// <summary>What a password sign-in needs: the body (ID number and password) and the services it works with.</summary>
    public sealed record SignInCall(
        SignInRequest Request, RegistrationDbContext Db, PasswordHasher Hasher, IdNumberProtector Protector, HttpContext Http, TimeProvider Clock);

    private static async Task<Results<Ok<CodeSentResponse>, ProblemHttpResult>> SignIn([AsParameters] SignInCall call, CancellationToken ct)
    {
        var (request, db, hasher, protector, http, clock) = call;
        var now = clock.GetUtcNow();
        if (NotAnIdNumber(request.IdNumber) is { } notAnIdNumber)
        {
            return notAnIdNumber;
        }
        var found = await FindAsync(db, request.IdNumber, ct);
        if (found is null)
        {
            // No account (unknown, or not activated): the same answers, lock-out included, from the number's throttle.
            return await IdNumberThrottling.SignInAsync(db, protector, request.IdNumber, request.Password, hasher, http, now, ct);
        }
        var (account, mobile) = found.Value;
        var outcome = account.SignInWithPassword(request.Password, hasher, now);
        AccountSessions.Record(db, account.CandidateId, outcome.Events, http, now);
        if (outcome.Code is { } code)
        {
            AccountSessions.Text(db, account, code);
        }
        if (await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            return busy;
        }
        return outcome.Refusal is { } refusal
            ? AccountSessions.Problem(refusal, http)
            : TypedResults.Ok(new CodeSentResponse(outcome.Code!.ChallengeId, outcome.Code.ExpiresAt, AccountSessions.MaskMobile(mobile)));
    }

    /// <summary>What the second step of a sign-in needs: the body (challenge and SMS code) and the services it works with.</summary>
    public sealed record CodeCall(CodeRequest Request, RegistrationDbContext Db, IServiceProvider Services, HttpContext Http, TimeProvider Clock);

    private static async Task<Results<Ok<SignedInResponse>, ProblemHttpResult>> CompleteSignIn([AsParameters] CodeCall call, CancellationToken ct)
    {
        var (request, db, services, http, clock) = call;
        if (services.GetService<DevTokenIssuer>() is not { } issuer)
        {
            return SessionsUnavailable();
        }
        // Only a sign-in's challenge: a reset's (which anyone can have sent for any ID number) answers exactly as one
        // that exists nowhere, and never reaches the account's lock-out, which would tell the two apart.
        var account = await db.Accounts().SingleOrDefaultAsync(a => a.ChallengeId == request.ChallengeId && a.ChallengePurpose == ChallengePurpose.SignIn, ct);
        if (account is null)
        {
            return AccountSessions.Problem(AccountRefusal.CodeInvalid, http);
        }
        var now = clock.GetUtcNow();
        var outcome = account.CompleteSignIn(request.ChallengeId, request.Code, now);
        SignedInResponse? session = outcome.Succeeded ? AccountSessions.Open(db, issuer, account.CandidateId, "password+sms", now) : null;
        AccountSessions.Record(db, account.CandidateId, outcome.Events, http, now, session?.SessionId);
        if (await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            return busy;
        }
        return outcome.Refusal is { } refusal ? AccountSessions.Problem(refusal, http) : TypedResults.Ok(session!);
    }

    /// <summary>What a reset request needs: the body (the ID number) and the services it works with.</summary>
    public sealed record ResetRequestCall(PasswordResetRequest Request, RegistrationDbContext Db, IdNumberProtector Protector, HttpContext Http, TimeProvider Clock);

    private static async Task<Results<Accepted<CodeSentResponse>, ProblemHttpResult>> RequestReset([AsParameters] ResetRequestCall call, CancellationToken ct)
    {
        var (request, db, protector, http, clock) = call;
        var now = clock.GetUtcNow();
        if (NotAnIdNumber(request.IdNumber) is { } notAnIdNumber)
        {
            return notAnIdNumber;
        }
        var found = await FindAsync(db, request.IdNumber, ct);
        if (found is null)
        {
            // The same answers as for an account, the resend cool-down included: whether an ID number has one is not
            // for anyone to learn here.
            return await IdNumberThrottling.RequestResetAsync(db, protector, request.IdNumber, http, now, ct);
        }
        var account = found.Value.Account;
        var outcome = account.RequestPasswordReset(now);
        AccountSessions.Record(db, account.CandidateId, outcome.Events, http, now);
        if (outcome.Code is { } code)
        {
            AccountSessions.Text(db, account, code);
        }
        if (await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            return busy;
        }
        return outcome.Refusal is { } refusal
            ? AccountSessions.Problem(refusal, http)
            : TypedResults.Accepted((string?)null, new CodeSentResponse(outcome.Code!.ChallengeId, outcome.Code.ExpiresAt, null));
    }

    /// <summary>What setting a new password with a reset code needs: the body and the services it works with.</summary>
    public sealed record ResetConfirmationCall(PasswordResetConfirmation Request, RegistrationDbContext Db, PasswordHasher Hasher, HttpContext Http, TimeProvider Clock);

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmReset([AsParameters] ResetConfirmationCall call, CancellationToken ct)
    {
        var (request, db, hasher, http, clock) = call;
        var account = await db.Accounts().SingleOrDefaultAsync(a => a.ChallengeId == request.ChallengeId && a.ChallengePurpose == ChallengePurpose.PasswordReset, ct);
        if (account is null)
        {
            return AccountSessions.Problem(AccountRefusal.CodeInvalid, http);
        }
        var registration = await db.Registrations.AsNoTracking().SingleAsync(r => r.CandidateId == account.CandidateId, ct);
        var now = clock.GetUtcNow();
        var outcome = account.ResetPassword(request.ChallengeId, request.Code, request.NewPassword, registration.IdNumber, registration.MobileNumber, hasher, now);
        AccountSessions.Record(db, account.CandidateId, outcome.Events, http, now);
        if (outcome.Succeeded)
        {
            // Whoever knew the old password is signed out with it, in the same commit.
            await AccountSessions.RevokeAllAsync(db, account.CandidateId, now, ct);
        }
        if (await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            return busy;
        }
        return outcome.Refusal is { } refusal ? AccountSessions.Problem(refusal, http) : TypedResults.NoContent();
    }

    private static async Task<(CandidateAccount Account, string Mobile)?> FindAsync(RegistrationDbContext db, string? idNumber, CancellationToken ct)
    {
        if (!IsLookupable(idNumber))
        {
            return null;
        }
        // The registration that holds the number (the latest exam year's), not any registration that carries it.
        var registration = await db.RegistrationsHoldingIdNumber(idNumber).AsNoTracking()
            .Select(r => new { r.CandidateId, r.MobileNumber }).FirstOrDefaultAsync(ct);
        if (registration is null)
        {
            return null;
        }
        var account = await db.Accounts().SingleOrDefaultAsync(a => a.CandidateId == registration.CandidateId, ct);
        return account is null ? null : (account, registration.MobileNumber);
    }

    /// <summary>
    /// A 400 for a number of the wrong shape (<see cref="ResidentIdNumbers.ShapeProblem"/>). It tells nothing about
    /// accounts — it depends on the input alone, answered before any lookup, the same for every caller — so the
    /// anti-enumeration answers are untouched. Only the shape: a registration stored before the check character and
    /// birth date were checked must still reach its account.
    /// </summary>
    private static ProblemHttpResult? NotAnIdNumber(string? idNumber) =>
        ResidentIdNumbers.ShapeProblem(idNumber?.Trim()) is { } problem
            ? RegistrationsApi.Invalid([(ResidentIdNumbers.Field, problem.Zh, problem.En)])
            : null;

    /// <summary>Whether an ID number is worth looking up (an account's, or a throttle's): anything else is nobody's.</summary>
    internal static bool IsLookupable([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? idNumber) => !string.IsNullOrWhiteSpace(idNumber) && idNumber.Length <= 32;

    private static ProblemHttpResult SessionsUnavailable() =>
        Problems.Localised(StatusCodes.Status503ServiceUnavailable, "sessions_unavailable",
            "本部署没有平台签名密钥（Auth:SigningKeys），请通过统一登录进入。",
            "This deployment has no platform signing key (Auth:SigningKeys); sessions come from the SSO instead.");
}
