using ExamReview.Contracts;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Accounts;

public sealed record SignedInResponse(string AccessToken, DateTimeOffset ExpiresAt, Guid CandidateId, Guid SessionId);

public sealed record CodeSentResponse(Guid ChallengeId, DateTimeOffset ExpiresAt, string? MaskedMobile);

/// <summary>What the account endpoints share: sessions, audit rows, codes to text, refusals to problems.</summary>
internal static class AccountSessions
{
    /// <summary>Opens a session and mints its token (role candidate, this candidate, <c>sid</c> = the session).</summary>
    public static SignedInResponse Open(RegistrationDbContext db, DevTokenIssuer issuer, Guid candidateId, string via, DateTimeOffset now)
    {
        var session = new CandidateSession
        {
            Id = Guid.CreateVersion7(),
            CandidateId = candidateId,
            CreatedAt = now,
            ExpiresAt = now + AccountPolicy.SessionLifetime,
            Via = via,
        };
        db.CandidateSessions().Add(session);
        var token = issuer.Issue(new TokenRequest($"candidate-{candidateId:N}", Roles.Candidate, candidateId,
            LifetimeMinutes: (int)AccountPolicy.SessionLifetime.TotalMinutes), session.Id);
        return new SignedInResponse(token.AccessToken, token.ExpiresAt, candidateId, session.Id);
    }

    /// <summary>
    /// Ends every open session of the candidate but <paramref name="keep"/> (sign out everywhere, password reset and
    /// change, mobile change), committed with the caller's change — and so is <see cref="CandidateSessionsEnded"/>, which
    /// tells every instance of the other services to refuse them at once (their cached answers would keep a stolen token
    /// working for up to <see cref="RemoteCandidateSessionCheck.CacheFor"/>).
    /// </summary>
    public static async Task<int> RevokeAllAsync(RegistrationDbContext db, Guid candidateId, DateTimeOffset now, CancellationToken ct, Guid? keep = null)
    {
        var open = await db.CandidateSessions().Where(s => s.CandidateId == candidateId && s.RevokedAt == null && s.ExpiresAt > now && s.Id != keep).ToListAsync(ct);
        foreach (var session in open)
        {
            session.RevokedAt = now;
        }
        if (open.Count > 0)
        {
            db.Publish(new CandidateSessionsEnded(candidateId, [.. open.Select(s => s.Id)], now));
        }
        return open.Count;
    }

    public static void Record(RegistrationDbContext db, Guid candidateId, IEnumerable<AccountAuditEvent> events, HttpContext http, DateTimeOffset now, Guid? sessionId = null)
    {
        foreach (var e in events)
        {
            db.AccountAudit().Add(new AccountAuditEntry
            {
                Id = Guid.CreateVersion7(),
                CandidateId = candidateId,
                At = now,
                Kind = e.Kind,
                Detail = e.Detail,
                ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
                SessionId = sessionId,
            });
        }
    }

    /// <summary>Queues the SMS with the code for Notification, in the transaction that stores the code's hash.</summary>
    public static void Text(RegistrationDbContext db, CandidateAccount account, OneTimeCodeToSend code) =>
        db.Publish(new SendOneTimeCode(account.CandidateId, account.AreaCode, code.ChallengeId,
            code.Purpose == ChallengePurpose.SignIn ? "sign-in" : "password-reset", code.Code, code.ExpiresAt));

    public static ProblemHttpResult Problem(AccountRefusal refusal, HttpContext http)
    {
        if (refusal.RetryAfter is { } wait)
        {
            ExamReview.ServiceDefaults.Problems.RetryAfter.Set(http.Response, wait);
            return Problems.Localised(refusal.Status, refusal.Code, refusal.DetailZh, refusal.DetailEn,
                new Dictionary<string, object?> { ["retryAfterSeconds"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) });
        }
        return Problems.Localised(refusal.Status, refusal.Code, refusal.DetailZh, refusal.DetailEn);
    }

    /// <summary>Commits the account's change; a racing attempt on the same account (version) is told to try again.</summary>
    public static async Task<ProblemHttpResult?> CommitAsync(RegistrationDbContext db, CancellationToken ct)
    {
        try
        {
            await db.CommitAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            return Problems.Conflict("account_busy", "账户正在处理另一个请求，请稍后重试。", "The account is handling another request; try again.");
        }
    }

    /// <summary>138****8000: enough for the candidate to recognise the phone, not enough to learn the number.</summary>
    public static string MaskMobile(string mobile) => mobile.Length >= 11 ? $"{mobile[..3]}****{mobile[^4..]}" : "****";
}

/// <summary>Registration answers session checks from its own table; other processes ask it (RemoteCandidateSessionCheck).</summary>
internal sealed class LocalCandidateSessionCheck(IServiceScopeFactory scopes, TimeProvider clock) : ICandidateSessionCheck
{
    public async Task<bool> IsOpenAsync(Guid sessionId, Guid candidateId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var now = clock.GetUtcNow();
        return await db.CandidateSessions().AnyAsync(s => s.Id == sessionId && s.CandidateId == candidateId && s.RevokedAt == null && s.ExpiresAt > now, cancellationToken);
    }
}
