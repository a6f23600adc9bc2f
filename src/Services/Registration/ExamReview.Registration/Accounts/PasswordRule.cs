using System.Globalization;

namespace ExamReview.Registration.Accounts;

/// <summary>
/// The strength rule for candidates' passwords. Candidates are adults typing on phones, once a year: a length
/// floor with two kinds of characters keeps it memorable, and the checks that matter most are the ones attackers
/// try first — the candidate's own ID number or mobile number, runs like 123456, one repeated character.
/// </summary>
public static class PasswordRule
{
    public const int MinLength = 8;
    public const int MaxLength = 64;

    private static readonly string[] CommonSequences = ["0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
    private static readonly HashSet<string> CommonPasswords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "passw0rd", "a1234567", "abc12345", "abcd1234", "12345678a", "qwerty123", "1qaz2wsx", "woaini520", "iloveyou1", "aa123456",
    };

    /// <summary>The problems with a proposed password (empty: acceptable), in Chinese and English, pairwise.</summary>
    public static (IReadOnlyList<string> Zh, IReadOnlyList<string> En) Check(string? password, string? idNumber, string? mobileNumber)
    {
        var zh = new List<string>();
        var en = new List<string>();
        if (string.IsNullOrEmpty(password))
        {
            return (["请输入密码"], ["a password is required"]);
        }
        if (password.Length < MinLength || password.Length > MaxLength)
        {
            zh.Add($"长度应为 {MinLength}–{MaxLength} 个字符");
            en.Add($"it must be {MinLength}–{MaxLength} characters long");
        }
        // Invisible format characters (a zero-width space or joiner, a byte-order mark, a direction mark) come along
        // when a password is pasted from a message or a note; nobody can type them on the next device, so the
        // candidate would be locked out of their own account.
        if (password.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            zh.Add("不能包含空格、控制字符或不可见字符");
            en.Add("it must not contain spaces, control characters or invisible characters");
        }
        // Full-width letters, digits and symbols (a Chinese input method in 全角 mode) look like the ASCII ones but are
        // other characters: the same password typed in half-width on another device would not match.
        if (password.Any(IsFullWidthForm))
        {
            zh.Add("请使用半角（英文状态）的字母、数字和符号，不要使用全角字符");
            en.Add("use half-width (ASCII) letters, digits and symbols, not full-width ones");
        }
        var kinds = (password.Any(char.IsAsciiLetterLower) ? 1 : 0) + (password.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (kinds < 2)
        {
            zh.Add("应至少包含字母、数字、符号中的两类");
            en.Add("it must mix at least two of letters, digits and symbols");
        }
        if (password.Distinct().Count() <= 2 || IsSequence(password) || CommonPasswords.Contains(password))
        {
            zh.Add("过于简单（如 12345678、aaaaaaaa、常见密码），容易被猜到");
            en.Add("it is too easy to guess (a sequence, a repeated character or a common password)");
        }
        if (Contains(password, idNumber, 6) || Contains(password, mobileNumber, 6))
        {
            zh.Add("不能包含本人的证件号码或手机号码");
            en.Add("it must not contain your ID number or mobile number");
        }
        return (zh, en);
    }

    // U+FF01–U+FF5E: the full-width forms of ASCII's printable characters (！ … ～, ０–９, Ａ–Ｚ, ａ–ｚ).
    private static bool IsFullWidthForm(char c) => c is >= '\uFF01' and <= '\uFF5E';

    private static bool IsSequence(string password)
    {
        var lower = password.ToLowerInvariant();
        return CommonSequences.Any(s => s.Contains(lower, StringComparison.Ordinal));
    }

    // Any run of `length` characters of the personal number appearing in the password (birth date, last digits …).
    private static bool Contains(string password, string? personal, int length)
    {
        if (string.IsNullOrWhiteSpace(personal) || personal.Length < length)
        {
            return false;
        }
        var upper = password.ToUpperInvariant();
        var number = personal.Trim().ToUpperInvariant();
        for (var i = 0; i + length <= number.Length; i++)
        {
            if (upper.Contains(number.Substring(i, length), StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
