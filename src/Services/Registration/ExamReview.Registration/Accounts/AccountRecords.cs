namespace ExamReview.Registration.Accounts;

/// <summary>How an area runs the candidate service system (seeds 001/002): 北京 authorises, 山东 activates by password.</summary>
public enum ActivationMode
{
    /// <summary>Every visit starts at the registration system, whose hand-over authorises ("使用考试报名系统的账号进行授权").</summary>
    Authorisation = 0,

    /// <summary>The first hand-over leads to setting a password, which activates the account ("考生设置完密码后自动激活").</summary>
    Password = 1,
}

/// <summary>Configuration <c>Accounts</c>: per-area activation (<c>Accounts:Areas:37:Activation=Password</c>) and hash cost.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    public Dictionary<string, AreaAccountOptions> Areas { get; set; } = new(StringComparer.Ordinal);

    public PasswordHashOptions PasswordHash { get; set; } = new();

    /// <summary>Areas not listed authorise through the hand-over, as before accounts existed.</summary>
    public ActivationMode ModeFor(string areaCode) =>
        Areas.TryGetValue(areaCode, out var area) ? area.Activation : ActivationMode.Authorisation;
}

public sealed class AreaAccountOptions
{
    public ActivationMode Activation { get; set; } = ActivationMode.Authorisation;
}

/// <summary>One signed-in session of a directly signed-in candidate; its id is the token's <c>sid</c>, checked on every request.</summary>
public sealed class CandidateSession
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string Via { get; set; } = "";
}

/// <summary>One row of the account audit log: what happened, from where, never a password or a code.</summary>
public sealed class AccountAuditEntry
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public DateTimeOffset At { get; set; }
    public AccountAuditKind Kind { get; set; }
    public string Detail { get; set; } = "";
    public string? ClientAddress { get; set; }
    public Guid? SessionId { get; set; }
}

/// <summary>
/// One row of the attempt log of an ID number without an account (unknown, or registered but not activated): the
/// events its <see cref="IdNumberThrottle"/> returned, as an account's audit log holds its own. Keyed by the throttle's
/// key (an HMAC of the number, never the number), so it names nobody; an operator holding a number finds its rows
/// through the same key.
/// </summary>
public sealed class IdNumberAttemptEntry
{
    public Guid Id { get; set; }
    public string ThrottleKey { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public AccountAuditKind Kind { get; set; }
    public string Detail { get; set; } = "";
    public string? ClientAddress { get; set; }
}
