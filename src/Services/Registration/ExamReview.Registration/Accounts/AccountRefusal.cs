namespace ExamReview.Registration.Accounts;

/// <summary>
/// Why the account said no: a stable code, the HTTP status it maps to, the Chinese text the candidate reads and its
/// English version. Decided (and worded) in the aggregate, translated unchanged by the endpoints.
/// </summary>
public sealed record AccountRefusal(string Code, int Status, string DetailZh, string DetailEn, TimeSpan? RetryAfter = null)
{
    public static AccountRefusal WeakPassword(IReadOnlyList<string> problemsZh, IReadOnlyList<string> problemsEn) =>
        new("weak_password", StatusCodes.Status422UnprocessableEntity, "密码不符合要求：" + string.Join("；", problemsZh) + "。",
            "The password does not meet the rule: " + string.Join("; ", problemsEn) + ".");

    public static readonly AccountRefusal AlreadyActive = new("account_already_active", StatusCodes.Status409Conflict,
        "账户已激活，请直接用证件号码和密码登录；忘记密码可通过短信验证码重置。",
        "The account is already active: sign in with your ID number and password, or reset the password by SMS code.");

    public static readonly AccountRefusal NotActive = new("account_not_active", StatusCodes.Status409Conflict,
        "账户尚未激活，请先从报名系统进入并设置密码。",
        "The account is not active yet: enter from the registration system first and set a password.");

    /// <summary>Signed in through the registration system's hand-over, in an area without passwords of its own.</summary>
    public static readonly AccountRefusal NoOwnPassword = new("account_without_password", StatusCodes.Status409Conflict,
        "本考区通过报名系统登录，没有单独的密码；请在报名系统中修改登录密码。",
        "This area signs in through the registration system and has no password of its own; change the password there.");

    /// <summary>Unknown ID number and wrong password read the same: the answer never tells which ID numbers have accounts.</summary>
    public static readonly AccountRefusal BadCredentials = new("invalid_credentials", StatusCodes.Status401Unauthorized,
        "证件号码或密码不正确。连续多次错误后账户将被暂时锁定。",
        "The ID number or password is wrong. Repeated failures lock the account for a while.");

    /// <summary>Changing the password while signed in: the current password given is not the account's.</summary>
    public static readonly AccountRefusal CurrentPasswordWrong = new("current_password_wrong", StatusCodes.Status422UnprocessableEntity,
        "当前密码不正确。连续多次错误后账户将被暂时锁定；忘记密码可通过短信验证码重置。",
        "The current password is wrong. Repeated failures lock the account for a while; a forgotten password can be reset by SMS code.");

    /// <summary>A change that needs the current password (the mobile number, where reset codes go) came without it.</summary>
    public static readonly AccountRefusal CurrentPasswordRequired = new("current_password_required", StatusCodes.Status422UnprocessableEntity,
        "修改手机号码须输入当前登录密码（currentPassword）；忘记密码可通过短信验证码重置。",
        "Changing the mobile number needs the current password (currentPassword); a forgotten password can be reset by SMS code.");

    /// <summary>A password change came without the current password: the same code, worded for what the candidate was doing.</summary>
    public static readonly AccountRefusal CurrentPasswordRequiredToChangePassword = new("current_password_required", StatusCodes.Status422UnprocessableEntity,
        "修改密码须输入当前密码（currentPassword）；忘记密码可通过短信验证码重置。",
        "Changing the password needs the current password (currentPassword); a forgotten password can be reset by SMS code.");

    public static readonly AccountRefusal PasswordUnchanged = new("password_unchanged", StatusCodes.Status422UnprocessableEntity,
        "新密码不能与当前密码相同。",
        "The new password must differ from the current one.");

    public static readonly AccountRefusal CodeInvalid = new("code_invalid", StatusCodes.Status401Unauthorized,
        "短信验证码不正确或已失效，请核对后重新输入，或重新获取验证码。",
        "The SMS code is wrong or no longer valid; check it, or request a new code.");

    public static readonly AccountRefusal CodeExpired = new("code_expired", StatusCodes.Status401Unauthorized,
        "短信验证码已过期，请重新获取。",
        "The SMS code has expired; request a new one.");

    public static AccountRefusal Locked(TimeSpan remaining)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(remaining.TotalMinutes));
        return new("account_locked", StatusCodes.Status423Locked,
            $"连续登录失败次数过多，账户已暂时锁定，请在 {minutes} 分钟后再试；也可以通过短信验证码重置密码。",
            $"Too many failed sign-ins: the account is locked; try again in {minutes} minute(s), or reset the password by SMS code.",
            remaining);
    }

    public static AccountRefusal CodeRecentlySent(TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new("code_recently_sent", StatusCodes.Status429TooManyRequests,
            $"验证码刚刚发送过，请在 {seconds} 秒后再获取。",
            $"A code was sent moments ago; request another in {seconds} second(s).", wait);
    }
}
