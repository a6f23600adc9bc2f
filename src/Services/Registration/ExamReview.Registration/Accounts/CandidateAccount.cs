namespace ExamReview.Registration.Accounts;

/// <summary>
/// A candidate's own account in an area that activates by password (山东: "考生设置完密码后自动激活"). It exists from
/// activation on; areas that only authorise through the registration system's hand-over (北京) never create one.
/// Every rule is here — strength, lock-out, the one pending SMS code — and every method returns an
/// <see cref="AccountOutcome"/>: the refusal, if any, and the audit events, which the endpoint records even when it
/// refuses (a failed attempt changes the account: it counts towards the lock).
/// </summary>
public sealed class CandidateAccount
{
    private CandidateAccount()
    {
    }

    public Guid CandidateId { get; private set; }
    public string AreaCode { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public DateTimeOffset ActivatedAt { get; private set; }
    public DateTimeOffset? PasswordChangedAt { get; private set; }
    public int FailedAttempts { get; private set; }
    public DateTimeOffset? LastFailedAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }

    // The one pending SMS code (a new one replaces it): its purpose, salted hash, expiry and the guesses made.
    public Guid? ChallengeId { get; private set; }
    public ChallengePurpose? ChallengePurpose { get; private set; }
    public string? ChallengeSalt { get; private set; }
    public string? ChallengeCodeHash { get; private set; }
    public DateTimeOffset? ChallengeExpiresAt { get; private set; }
    public DateTimeOffset? ChallengeSentAt { get; private set; }
    public int ChallengeAttempts { get; private set; }

    /// <summary>Optimistic concurrency: two racing attempts cannot both read the same failure count.</summary>
    public int Version { get; private set; }

    /// <summary>The first hand-over in a password area: the candidate sets a password and the account is active.</summary>
    public static (CandidateAccount? Account, AccountOutcome Outcome) Activate(
        Guid candidateId, string areaCode, string? password, string idNumber, string mobileNumber, PasswordHasher hasher, DateTimeOffset now)
    {
        var (zh, en) = PasswordRule.Check(password, idNumber, mobileNumber);
        if (zh.Count > 0)
        {
            return (null, new AccountOutcome(AccountRefusal.WeakPassword(zh, en), []));
        }
        var account = new CandidateAccount
        {
            CandidateId = candidateId,
            AreaCode = areaCode,
            PasswordHash = hasher.Hash(password!),
            ActivatedAt = now,
            PasswordChangedAt = now,
            Version = 1,
        };
        return (account, new AccountOutcome(null, [new AccountAuditEvent(AccountAuditKind.Activated, "password set at activation")]));
    }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>First step of a direct sign-in: the password; when right, a sign-in code goes to the registered mobile.</summary>
    public AccountOutcome SignInWithPassword(string? password, PasswordHasher hasher, DateTimeOffset now)
    {
        if (IsLocked(now))
        {
            return RefusedWhileLocked(now, "password sign-in");
        }
        var check = LockOut.Check(password, PasswordHash, hasher);
        if (check == PasswordCheck.Wrong)
        {
            return Fail(now, AccountAuditKind.PasswordFailed, AccountRefusal.BadCredentials);
        }
        if (check == PasswordCheck.CorrectNeedsRehash)
        {
            PasswordHash = hasher.Hash(password!);
        }
        var issued = IssueCode(Accounts.ChallengePurpose.SignIn, now);
        if (issued.Refusal is not null)
        {
            return issued;
        }
        return issued with { Events = [new AccountAuditEvent(AccountAuditKind.PasswordAccepted, "password accepted; SMS code required"), .. issued.Events] };
    }

    /// <summary>Second step: the code from the SMS. A wrong code counts towards the lock like a wrong password.</summary>
    public AccountOutcome CompleteSignIn(Guid challengeId, string? code, DateTimeOffset now)
    {
        if (IsLocked(now))
        {
            return RefusedWhileLocked(now, "sign-in code");
        }
        var refusal = CheckCode(challengeId, code, Accounts.ChallengePurpose.SignIn, now);
        if (refusal is not null)
        {
            return Fail(now, AccountAuditKind.CodeFailed, refusal);
        }
        ClearChallenge();
        ChallengeSentAt = null; // the code was used: the next one may follow at once
        FailedAttempts = 0;
        return new AccountOutcome(null, [new AccountAuditEvent(AccountAuditKind.SignedIn, "password and SMS code")]);
    }

    /// <summary>
    /// Forgotten password (or a lock the candidate cannot wait out): a reset code to the registered mobile. Allowed
    /// while locked — holding the phone is the proof — but never more often than <see cref="AccountPolicy.ResendInterval"/>.
    /// </summary>
    public AccountOutcome RequestPasswordReset(DateTimeOffset now) => IssueCode(Accounts.ChallengePurpose.PasswordReset, now);

    /// <summary>
    /// Sets a new password with the reset code. A weak password is refused before the code is used, so the candidate
    /// can try another with the same code. Success clears failures and the lock; the endpoint ends every session.
    /// Wrong codes here use up the code's guesses, not the sign-in lock: a locked candidate must still be able to reset.
    /// The current password is refused as the new one (password_unchanged), as <see cref="ChangePassword"/> does.
    /// </summary>
    public AccountOutcome ResetPassword(Guid challengeId, string? code, string? newPassword, string idNumber, string mobileNumber, PasswordHasher hasher, DateTimeOffset now)
    {
        var refusal = CheckCode(challengeId, code, Accounts.ChallengePurpose.PasswordReset, now);
        if (refusal is not null)
        {
            // Outside, an expired reset code reads as a wrong one (whose text says it may have expired): an ID number
            // without an account gets a challenge that exists nowhere, which can only ever be wrong, and telling the two
            // apart five minutes later would tell anyone which numbers have accounts. The audit keeps the real reason.
            return new AccountOutcome(AccountRefusal.CodeInvalid, [new AccountAuditEvent(AccountAuditKind.CodeFailed, "password reset: " + refusal.Code)]);
        }
        var (zh, en) = PasswordRule.Check(newPassword, idNumber, mobileNumber);
        if (zh.Count > 0)
        {
            ChallengeAttempts--; // the code was right: a weak password does not spend a guess
            return new AccountOutcome(AccountRefusal.WeakPassword(zh, en), []);
        }
        if (PasswordHash.Length > 0 && LockOut.Check(newPassword, PasswordHash, hasher) != PasswordCheck.Wrong)
        {
            // Unlike a weak password, this answer tells whoever holds the code that a guess is the old password, so it
            // spends a guess: the code cannot become an unlimited oracle for a password that may be reused elsewhere.
            return new AccountOutcome(AccountRefusal.PasswordUnchanged, [new AccountAuditEvent(AccountAuditKind.CodeFailed, "password reset: password_unchanged")]);
        }
        PasswordHash = hasher.Hash(newPassword!);
        PasswordChangedAt = now;
        FailedAttempts = 0;
        LockedUntil = null;
        ClearChallenge();
        ChallengeSentAt = null;
        return new AccountOutcome(null, [new AccountAuditEvent(AccountAuditKind.PasswordReset, "new password set with an SMS code; every session ended")]);
    }

    /// <summary>
    /// A signed-in candidate changes their password: the current one first, so a borrowed or stolen session cannot take
    /// the account over. A wrong current password counts towards the lock like a wrong sign-in (a session must not be a
    /// way to guess the password without limit); a weak new password, or the same one again, does not. Success clears
    /// failures and a pending sign-in code (begun with the old password); the endpoint ends every other session.
    /// </summary>
    public AccountOutcome ChangePassword(string? currentPassword, string? newPassword, string idNumber, string mobileNumber, PasswordHasher hasher, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (IsLocked(now))
        {
            return RefusedWhileLocked(now, "password change");
        }
        if (string.IsNullOrEmpty(currentPassword))
        {
            return new AccountOutcome(AccountRefusal.CurrentPasswordRequiredToChangePassword, []); // no guess was made: not counted
        }
        var check = LockOut.Check(currentPassword, PasswordHash, hasher);
        if (check == PasswordCheck.Wrong)
        {
            return Fail(now, AccountAuditKind.PasswordFailed, AccountRefusal.CurrentPasswordWrong);
        }
        var (zh, en) = PasswordRule.Check(newPassword, idNumber, mobileNumber);
        if (zh.Count > 0)
        {
            return new AccountOutcome(AccountRefusal.WeakPassword(zh, en), []);
        }
        if (string.Equals(newPassword, currentPassword, StringComparison.Ordinal))
        {
            return new AccountOutcome(AccountRefusal.PasswordUnchanged, []);
        }
        PasswordHash = hasher.Hash(newPassword!);
        PasswordChangedAt = now;
        FailedAttempts = 0;
        if (ChallengePurpose == Accounts.ChallengePurpose.SignIn)
        {
            // A sign-in begun with the old password must not finish after it changed.
            ClearChallenge();
            ChallengeSentAt = null;
        }
        return new AccountOutcome(null, [new AccountAuditEvent(AccountAuditKind.PasswordChanged, "password changed by the candidate; other sessions ended")]);
    }

    /// <summary>
    /// Step-up before a change that moves where the account's codes go (the mobile number): a stolen session alone must
    /// not be enough to redirect the password reset to another phone. Like <see cref="ChangePassword"/>, a wrong password
    /// counts towards the lock (a session is no way to guess without limit); a missing one is refused without counting,
    /// since no guess was made. Success clears the failures, as a successful sign-in does.
    /// </summary>
    public AccountOutcome ConfirmPassword(string? currentPassword, string what, PasswordHasher hasher, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (IsLocked(now))
        {
            return RefusedWhileLocked(now, what);
        }
        if (string.IsNullOrEmpty(currentPassword))
        {
            return new AccountOutcome(AccountRefusal.CurrentPasswordRequired, []);
        }
        var check = LockOut.Check(currentPassword, PasswordHash, hasher);
        if (check == PasswordCheck.Wrong)
        {
            return Fail(now, AccountAuditKind.PasswordFailed, AccountRefusal.CurrentPasswordWrong);
        }
        if (check == PasswordCheck.CorrectNeedsRehash)
        {
            PasswordHash = hasher.Hash(currentPassword);
        }
        FailedAttempts = 0;
        return new AccountOutcome(null, []);
    }

    /// <summary>
    /// The registered mobile moved: a sign-in or reset code texted to the old number no longer works (whoever holds
    /// that phone now must not finish a reset with it). When it was sent still counts for the resend interval.
    /// </summary>
    public void VoidPendingCode() => ClearChallenge();

    private AccountOutcome IssueCode(ChallengePurpose purpose, DateTimeOffset now)
    {
        if (LockOut.ResendWait(ChallengeSentAt, now) is { } wait)
        {
            return new AccountOutcome(AccountRefusal.CodeRecentlySent(wait), []);
        }
        var code = OneTimeCodes.NewCode();
        ChallengeId = Guid.CreateVersion7();
        ChallengePurpose = purpose;
        ChallengeSalt = OneTimeCodes.NewSalt();
        ChallengeCodeHash = OneTimeCodes.Hash(ChallengeSalt, code);
        ChallengeSentAt = now;
        ChallengeExpiresAt = now + AccountPolicy.CodeLifetime;
        ChallengeAttempts = 0;
        return new AccountOutcome(null,
            [new AccountAuditEvent(AccountAuditKind.CodeSent, purpose == Accounts.ChallengePurpose.SignIn ? "sign-in code sent" : "password reset code sent")],
            new OneTimeCodeToSend(ChallengeId.Value, purpose, code, ChallengeExpiresAt.Value));
    }

    // Counts the guess before comparing: the limit holds however the guesses are spread over time.
    private AccountRefusal? CheckCode(Guid challengeId, string? code, ChallengePurpose purpose, DateTimeOffset now)
    {
        if (ChallengeId != challengeId || ChallengePurpose != purpose || ChallengeSalt is null || ChallengeCodeHash is null)
        {
            return AccountRefusal.CodeInvalid;
        }
        if (ChallengeExpiresAt <= now)
        {
            ClearCode();
            return AccountRefusal.CodeExpired;
        }
        ChallengeAttempts++;
        if (ChallengeAttempts > AccountPolicy.MaxCodeAttempts)
        {
            ClearCode();
            return AccountRefusal.CodeInvalid;
        }
        if (string.IsNullOrWhiteSpace(code) || code.Trim().Length != 6 || !OneTimeCodes.Matches(ChallengeSalt, ChallengeCodeHash, code))
        {
            if (ChallengeAttempts >= AccountPolicy.MaxCodeAttempts)
            {
                ClearCode();
            }
            return AccountRefusal.CodeInvalid;
        }
        return null;
    }

    private AccountOutcome Fail(DateTimeOffset now, AccountAuditKind kind, AccountRefusal refusal)
    {
        FailedAttempts = LockOut.StillCounting(FailedAttempts, LastFailedAt, now) + 1;
        LastFailedAt = now;
        if (FailedAttempts < AccountPolicy.MaxFailures)
        {
            return new AccountOutcome(refusal, [LockOut.Failed(kind, refusal, FailedAttempts)]);
        }
        FailedAttempts = 0;
        LockedUntil = now + AccountPolicy.LockDuration;
        if (ChallengePurpose == Accounts.ChallengePurpose.SignIn)
        {
            ClearChallenge(); // a pending sign-in code dies with the lock; a reset code stays usable
        }
        return new AccountOutcome(AccountRefusal.Locked(AccountPolicy.LockDuration),
            [LockOut.Failed(kind, refusal, AccountPolicy.MaxFailures), LockOut.LockedOut(LockedUntil.Value)]);
    }

    // Each refused attempt keeps its audit row (when, from which address: what an operator blocks an attacker by); an ID
    // number without an account writes the same row to its attempt log (IdNumberThrottle), so the lock costs both alike.
    private AccountOutcome RefusedWhileLocked(DateTimeOffset now, string what) =>
        new(AccountRefusal.Locked(LockedUntil!.Value - now), [LockOut.RefusedWhileLocked(what, LockedUntil.Value)]);

    // The code can no longer be used, but when it was sent still counts for the resend interval.
    private void ClearCode()
    {
        ChallengeSalt = null;
        ChallengeCodeHash = null;
        ChallengeExpiresAt = null;
    }

    private void ClearChallenge()
    {
        ClearCode();
        ChallengeId = null;
        ChallengePurpose = null;
        ChallengeAttempts = 0;
    }
}
