using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Accounts;

/// <summary>
/// The sign-in and reset endpoints' path for an ID number without an account: load (or start) its
/// <see cref="IdNumberThrottle"/>, call it, log its events, commit, translate — the same steps, the same log rows and the
/// same answers as the account's path, so the two cannot be told apart from outside.
/// </summary>
internal static class IdNumberThrottling
{
    /// <summary>A wrong password for an ID number without an account: 401 four times, then the account's 423.</summary>
    public static async Task<ProblemHttpResult> SignInAsync(
        RegistrationDbContext db, IdNumberProtector protector, string? idNumber, string? password, PasswordHasher hasher, HttpContext http, DateTimeOffset now, CancellationToken ct)
    {
        var throttle = await LoadAsync(db, protector, idNumber, ct);
        if (throttle is null)
        {
            // Not even shaped like an ID number, so it is nobody's: the hash work, and the plain refusal.
            _ = LockOut.Check(password, hasher.DecoyHash, hasher);
            return AccountSessions.Problem(AccountRefusal.BadCredentials, http);
        }
        var outcome = throttle.SignInWithPassword(password, hasher, hasher.DecoyHash, now);
        Record(db, throttle, outcome.Events, http, now);
        return await AccountSessions.CommitAsync(db, ct) ?? AccountSessions.Problem(outcome.Refusal!, http);
    }

    /// <summary>A reset request for an ID number without an account: a code that exists nowhere, or the account's 429.</summary>
    public static async Task<Results<Accepted<CodeSentResponse>, ProblemHttpResult>> RequestResetAsync(
        RegistrationDbContext db, IdNumberProtector protector, string? idNumber, HttpContext http, DateTimeOffset now, CancellationToken ct)
    {
        var throttle = await LoadAsync(db, protector, idNumber, ct);
        var outcome = throttle?.RequestPasswordReset(now);
        if (throttle is not null)
        {
            Record(db, throttle, outcome!.Events, http, now);
        }
        if (throttle is not null && await AccountSessions.CommitAsync(db, ct) is { } busy)
        {
            return busy;
        }
        return outcome?.Refusal is { } refusal
            ? AccountSessions.Problem(refusal, http)
            : TypedResults.Accepted((string?)null, new CodeSentResponse(Guid.CreateVersion7(), now + AccountPolicy.CodeLifetime, null));
    }

    // The account path's AccountSessions.Record, row for row, into the attempt log (IdNumberThrottle says why).
    private static void Record(RegistrationDbContext db, IdNumberThrottle throttle, IEnumerable<AccountAuditEvent> events, HttpContext http, DateTimeOffset now)
    {
        foreach (var e in events)
        {
            db.IdNumberAttempts().Add(new IdNumberAttemptEntry
            {
                Id = Guid.CreateVersion7(),
                ThrottleKey = throttle.Key,
                At = now,
                Kind = e.Kind,
                Detail = e.Detail,
                ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            });
        }
    }

    // The same shape test as the account lookup's: what fails it can be no registered number, so it needs no row.
    private static async Task<IdNumberThrottle?> LoadAsync(RegistrationDbContext db, IdNumberProtector protector, string? idNumber, CancellationToken ct)
    {
        if (!AccountsApi.IsLookupable(idNumber))
        {
            return null;
        }
        var key = protector.ThrottleKey(idNumber);
        var throttle = await db.IdNumberThrottles().SingleOrDefaultAsync(t => t.Key == key, ct);
        if (throttle is null)
        {
            throttle = IdNumberThrottle.For(key);
            db.IdNumberThrottles().Add(throttle);
        }
        return throttle;
    }
}
