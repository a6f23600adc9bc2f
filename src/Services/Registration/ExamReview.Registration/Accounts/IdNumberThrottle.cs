namespace ExamReview.Registration.Accounts;

/// <summary>
/// The lock-out and the reset-code cool-down of an ID number that has no account — unknown, or registered but not
/// activated — so that from outside it behaves exactly like one that has: the same <c>401 invalid_credentials</c> four
/// times, then <c>423 account_locked</c> for the same time, the same <c>429 code_recently_sent</c> on a second reset
/// request within the resend interval. Without it the lock and the cool-down existed only for real accounts, and
/// telling them apart told anyone which ID numbers have accounts. The arithmetic is <see cref="LockOut"/>'s, the same
/// that <see cref="CandidateAccount"/> uses; the refusals are the same <see cref="AccountRefusal"/>s.
/// <para>
/// Keyed by <see cref="Data.Protection.IdNumberProtector.ThrottleKey"/> (an HMAC of the normalised number under the
/// blind-index key, with its own purpose), never by the number itself. Nothing is texted: there is nobody to text.
/// </para>
/// <para>
/// Its methods return the very audit events an account returns for the same attempt, and the endpoint writes them to
/// the attempt log of numbers without an account (<see cref="IdNumberAttemptEntry"/>, keyed the same way) as the account
/// writes its audit log. That keeps the database work of the two paths alike — above all while locked, where no
/// password is hashed and a row written on one path only was the whole difference in time, measurable without limit
/// since a locked number can be asked again and again — and it tells operators what the account log cannot: which
/// addresses try passwords, and hammer locks, on numbers that have no account (guessing which ones do).
/// </para>
/// <para>
/// No cleanup job: a row whose lock has ended, whose last code request is older than the resend interval and whose
/// last failure is older than <see cref="AccountPolicy.FailureWindow"/> decides exactly as no row would
/// (<see cref="IsSpent"/>), so old rows are harmless and may be deleted at any time, by anyone, or never. Their number
/// is bounded by the per-address rate limits on these endpoints.
/// </para>
/// </summary>
public sealed class IdNumberThrottle
{
    private IdNumberThrottle()
    {
    }

    public string Key { get; private set; } = "";
    public int FailedAttempts { get; private set; }
    public DateTimeOffset? LastFailedAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public DateTimeOffset? CodeRequestedAt { get; private set; }

    /// <summary>
    /// Optimistic concurrency, as the account's: of two racing attempts on one number only one commits (the other is
    /// told <c>account_busy</c>, as for an account); two racing first attempts collide on the key the same way.
    /// </summary>
    public int Version { get; private set; }

    public static IdNumberThrottle For(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new IdNumberThrottle { Key = key, Version = 1 };
    }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Whether this row decides nothing any more: deleting it would change no answer.</summary>
    public bool IsSpent(DateTimeOffset now) =>
        !IsLocked(now) && LockOut.ResendWait(CodeRequestedAt, now) is null && LockOut.StillCounting(FailedAttempts, LastFailedAt, now) == 0;

    /// <summary>
    /// A password sign-in for this number: never right, and answered like a wrong password on an account — locked, at
    /// once; otherwise the same hash work against <paramref name="decoyHash"/> (none for an empty or oversized
    /// password, as for an account), then a failure that counts towards the lock.
    /// </summary>
    public AccountOutcome SignInWithPassword(string? password, PasswordHasher hasher, string decoyHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (IsLocked(now))
        {
            return new AccountOutcome(AccountRefusal.Locked(LockedUntil!.Value - now), [LockOut.RefusedWhileLocked("password sign-in", LockedUntil.Value)]);
        }
        // The result is ignored: nobody knows the decoy's password, and the answer must not depend on it anyway.
        _ = LockOut.Check(password, decoyHash, hasher);
        FailedAttempts = LockOut.StillCounting(FailedAttempts, LastFailedAt, now) + 1;
        LastFailedAt = now;
        if (FailedAttempts < AccountPolicy.MaxFailures)
        {
            return new AccountOutcome(AccountRefusal.BadCredentials, [LockOut.Failed(AccountAuditKind.PasswordFailed, AccountRefusal.BadCredentials, FailedAttempts)]);
        }
        FailedAttempts = 0;
        LockedUntil = now + AccountPolicy.LockDuration;
        return new AccountOutcome(AccountRefusal.Locked(AccountPolicy.LockDuration),
            [LockOut.Failed(AccountAuditKind.PasswordFailed, AccountRefusal.BadCredentials, AccountPolicy.MaxFailures), LockOut.LockedOut(LockedUntil.Value)]);
    }

    /// <summary>
    /// A reset request for this number: accepted (the endpoint answers with a code that exists nowhere, logged as the
    /// account logs the code it sends), or refused within the resend interval of the last accepted one. Like an
    /// account's, it is allowed while locked.
    /// </summary>
    public AccountOutcome RequestPasswordReset(DateTimeOffset now)
    {
        if (LockOut.ResendWait(CodeRequestedAt, now) is { } wait)
        {
            return new AccountOutcome(AccountRefusal.CodeRecentlySent(wait), []);
        }
        CodeRequestedAt = now;
        return new AccountOutcome(null, [new AccountAuditEvent(AccountAuditKind.CodeSent, "password reset code sent")]);
    }
}
