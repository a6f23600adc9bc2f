using System.Globalization;

namespace ExamReview.Registration.Domain;

/// <summary>
/// The resident ID number (居民身份证号码, GB 11643-1999): 6 digits of the area of first registration, the birth date
/// (YYYYMMDD), a 3-digit sequence and a check character (ISO 7064 MOD 11-2, 0–9 or X). Every number the service takes
/// in — a registration, a staff or provincial correction — passes this one rule (a search, a sign-in or reset only its
/// shape, <see cref="ShapeProblem"/>), so a
/// typo (any single wrong digit, any swap of two neighbours) or a made-up number is refused where it is typed rather
/// than stored, and the one-registration-per-number rule is not dodged by a number that belongs to nobody.
/// </summary>
public static class ResidentIdNumbers
{
    public const string Field = "idNumber";

    public const string ShapeZh = "证件号码应为 18 位居民身份证号码（17 位数字加一位数字或 X）。";
    public const string ShapeEn = "must be an 18-character resident ID number (17 digits then a digit or X)";
    public const string BirthDateZh = "出生日期不正确：身份证号码第 7 至 14 位应为 1900 年以后、不晚于今天的出生日期（年月日），请核对。";
    public const string BirthDateEn = "has an impossible birth date: characters 7 to 14 must be a real date (YYYYMMDD) from 1900 to today";
    public const string CheckDigitZh = "身份证号码校验位不正确，请逐位核对后重新输入。";
    public const string CheckDigitEn = "has a wrong check character (GB 11643 / ISO 7064 MOD 11-2): a character was mistyped";

    // The weights 2^(17-i) mod 11 of ISO 7064 MOD 11-2 for the first 17 digits, and the check character for each
    // remainder of their weighted sum (GB 11643-1999 table).
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>
    /// What is wrong with <paramref name="value"/> as a resident ID number (Chinese, English), or null when it is one.
    /// Exact: no surrounding spaces (a caller that trims does so first); a lower-case x is the same check character.
    /// The birth date comes before the check character because it names where the mistake is.
    /// </summary>
    public static (string Zh, string En)? Problem(string? value, DateOnly today)
    {
        if (value is null || !CorrectableFields.IdNumberPattern().IsMatch(value))
        {
            return (ShapeZh, ShapeEn);
        }
        if (BirthDate(value) is not { } born || born < Earliest || born > today)
        {
            return (BirthDateZh, BirthDateEn);
        }
        return char.ToUpperInvariant(value[17]) == CheckCharacter(value) ? null : (CheckDigitZh, CheckDigitEn);
    }

    /// <summary>
    /// Only the shape (18 characters: 17 digits, then a digit or X), for looking up a number already stored: sign-in,
    /// password reset and the staff search must still find a registration taken before the full rule, whose number a
    /// typo may have left with a wrong check character or date; refusing it there would lock its candidate out until
    /// staff happened to correct it. New numbers (registrations, corrections) take <see cref="Problem"/>.
    /// </summary>
    public static (string Zh, string En)? ShapeProblem(string? value) =>
        value is not null && CorrectableFields.IdNumberPattern().IsMatch(value) ? null : (ShapeZh, ShapeEn);

    /// <summary>Whether <paramref name="value"/> is a resident ID number (<see cref="Problem"/> finds nothing).</summary>
    public static bool IsValid(string? value, DateOnly today) => Problem(value, today) is null;

    /// <summary>The check character (0–9 or X) of the first 17 digits of <paramref name="value"/>.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> value)
    {
        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += (value[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    private static DateOnly? BirthDate(string value) =>
        DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
