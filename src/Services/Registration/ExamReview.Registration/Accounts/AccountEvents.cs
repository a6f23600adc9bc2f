using System.Security.Cryptography;
using System.Text;

namespace ExamReview.Registration.Accounts;

public enum ChallengePurpose
{
    SignIn = 0,
    PasswordReset = 1,
}

/// <summary>What the audit log records: every sign-in and failure, lock-out, reset, change and sign-out (never a password or code).</summary>
public enum AccountAuditKind
{
    Activated = 0,
    PasswordAccepted = 1,
    PasswordFailed = 2,
    CodeSent = 3,
    CodeFailed = 4,
    SignedIn = 5,
    LockedOut = 6,
    RefusedWhileLocked = 7,
    PasswordReset = 8,
    SignedOutEverywhere = 9,
    PasswordChanged = 10,
    MobileChanged = 11,
}

public sealed record AccountAuditEvent(AccountAuditKind Kind, string Detail);

/// <summary>A code to text to the candidate: the only place the plain code exists, on its way to Notification.</summary>
public sealed record OneTimeCodeToSend(Guid ChallengeId, ChallengePurpose Purpose, string Code, DateTimeOffset ExpiresAt);

/// <summary>The aggregate's answer: a refusal or not, and in either case what happened (failures are facts too).</summary>
public sealed record AccountOutcome(AccountRefusal? Refusal, IReadOnlyList<AccountAuditEvent> Events, OneTimeCodeToSend? Code = null)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>The account rules' numbers, chosen for a once-a-year candidate on a phone with SMS that may lag.</summary>
public static class AccountPolicy
{
    /// <summary>Failed passwords or sign-in codes in a row before the account locks.</summary>
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);
    /// <summary>
    /// Failures count towards the lock while the last one is younger than this; after a quiet day the count starts
    /// again. The lock itself already bounds guessing at 5 per 15 minutes; the window is what lets an ID number's
    /// throttle row (<see cref="IdNumberThrottle"/>) expire, and a real account must count exactly like one.
    /// </summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    /// <summary>Guesses allowed against one code: six digits, five guesses, a one-in-200,000 chance.</summary>
    public const int MaxCodeAttempts = 5;
    /// <summary>No new code within this time of the last one: SMS cost and nuisance (短信轰炸).</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(60);
}

/// <summary>
/// The lock-out and resend arithmetic shared by <see cref="CandidateAccount"/> and <see cref="IdNumberThrottle"/>: one
/// rule, so an ID number without an account locks and cools down exactly like one with an account.
/// </summary>
internal static class LockOut
{
    /// <summary>
    /// The failures that still count before this one: all of them while the last is younger than the window; none
    /// once it is older, and none when the count has no time at all.
    /// </summary>
    /// <remarks>
    /// A count without a time was written before <c>LastFailedAt</c> existed. Migration
    /// <c>AccountsDateUndatedFailures</c> dates every such row it finds; one it could not reach (written afterwards by a
    /// replica still running the code from before the window, during a rolling upgrade, or restored from an older
    /// backup) cannot be dated at all — its failures may be a minute or a year old. Counting it until the next failure
    /// was the defect: a wrong password a year later locked the account at once. Dating it at the next failure is the
    /// same thing. So it counts as spent, like a count whose window has passed: at worst four extra guesses, once for that
    /// row, after which every failure has a time — and the lock itself (five per <see cref="AccountPolicy.LockDuration"/>)
    /// still bounds guessing.
    /// </remarks>
    public static int StillCounting(int failedAttempts, DateTimeOffset? lastFailedAt, DateTimeOffset now) =>
        lastFailedAt is { } last && now - last < AccountPolicy.FailureWindow ? failedAttempts : 0;

    // The audit events of the lock-out, worded once: an account's audit log and the attempt log of an ID number without
    // one get the same rows for the same attempts, so neither writes more than the other.

    /// <summary>A wrong password or code that counts towards the lock: which refusal, and which failure of how many.</summary>
    public static AccountAuditEvent Failed(AccountAuditKind kind, AccountRefusal refusal, int failure) =>
        new(kind, $"{refusal.Code}; failure {failure} of {AccountPolicy.MaxFailures}");

    public static AccountAuditEvent LockedOut(DateTimeOffset until) => new(AccountAuditKind.LockedOut, $"locked until {until:O}");

    /// <summary>An attempt refused, unchecked, because of the lock (<paramref name="what"/>: "password sign-in", …).</summary>
    public static AccountAuditEvent RefusedWhileLocked(string what, DateTimeOffset until) =>
        new(AccountAuditKind.RefusedWhileLocked, $"{what} refused: locked until {until:O}");

    /// <summary>How long until another code may be sent, or null when one may be sent now.</summary>
    public static TimeSpan? ResendWait(DateTimeOffset? sentAt, DateTimeOffset now) =>
        sentAt is { } sent && now - sent < AccountPolicy.ResendInterval ? AccountPolicy.ResendInterval - (now - sent) : null;

    /// <summary>
    /// A password attempt against a stored hash. An empty or oversized password is wrong without hashing — for an
    /// account and for an ID number without one alike, so neither answers faster than the other.
    /// </summary>
    public static PasswordCheck Check(string? password, string storedHash, PasswordHasher hasher) =>
        string.IsNullOrEmpty(password) || password.Length > 256 ? PasswordCheck.Wrong : hasher.Verify(password, storedHash);
}

/// <summary>Six-digit one-time codes; at rest only a salted SHA-256 of the code, compared in constant time.</summary>
public static class OneTimeCodes
{
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static string NewSalt() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string salt, string code) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code.Trim())));

    public static bool Matches(string salt, string storedHash, string? code) =>
        code is not null && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Hash(salt, code)), Convert.FromBase64String(storedHash));
}
