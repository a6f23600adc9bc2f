using System.Globalization;
using System.Text;

namespace ExamReview.Registration.Domain;

/// <summary>
/// A candidate's name (姓名) as the ID card prints it, for a registration and for a staff or provincial correction:
/// letters of any script with their combining marks — Han characters of every extension (生僻字 such as 𠀾 count as one
/// character, as people and PostgreSQL count them, not as the two UTF-16 units .NET strings hold), Tibetan, Uyghur,
/// Latin — joined by the separators names use: the middle dot of minority and transliterated names (阿依古丽·买买提,
/// also typed as ・ ‧ •), the Tibetan syllable mark, a space, a hyphen, an apostrophe or a full stop, and one comma
/// between surname and given names, as a Hong Kong identity card prints the English name (CHAN, Tai Man) and as a
/// romanised name from a passport is often written. A digit, an emoji or another symbol is a typo or a test, never part
/// of a name on an ID card, and would print as a box on the admission notice; it is refused where it is typed. Control
/// and invisible characters are refused before this, for every text field (TextHygiene).
/// </summary>
public static class PersonNames
{
    public const int MaxCharacters = 100;

    /// <summary>The most combining marks one letter carries (a Tibetan stack such as ཀྵྨྱཱུཾ has six).</summary>
    public const int MaxMarksPerLetter = 8;

    public const string RequiredZh = "姓名必填（最多 100 个字）。";
    public const string RequiredEn = "is required (at most 100 characters)";
    public const string CharactersZh = "姓名只能由文字组成，可用间隔号（·）、空格、连字符（-）、撇号（'）或点（.）分隔，姓与名之间可用一个英文逗号（如“CHAN, Tai Man”，逗号后空一格，不用中文逗号“，”）；不能含数字、表情或其他符号，且不能以分隔符开头或结尾，也不能连用。";
    public const string CharactersEn = "must be letters of a script, separated only by single middle dots, spaces, hyphens, apostrophes or full stops, with at most one comma between surname and given names (\"CHAN, Tai Man\": an ASCII comma takes one space after it); no digits, emoji or other symbols";

    // The Tibetan tsheg (་) ends each syllable of a name in Tibetan script, as a space would. The comma is the ASCII one
    // the card prints: the full-width ，of a Chinese input method would store a name that no longer reads as the card
    // does (and no Chinese name has a comma), so it is refused and the message says which comma to type.
    private const string Separators = "·・‧• -'’.,\u0F0B";

    /// <summary>What is wrong with <paramref name="value"/> as a name (Chinese, English), or null when it is one; checked as trimmed.</summary>
    public static (string Zh, string En)? Problem(string? value)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return (RequiredZh, RequiredEn);
        }
        var count = 0;
        var marksInRow = 0;
        var commas = 0;
        Rune? previousSeparator = new Rune(' ');
        foreach (var rune in name.EnumerateRunes())
        {
            count++;
            var separator = rune.IsBmp && Separators.Contains((char)rune.Value, StringComparison.Ordinal);
            var mark = !separator && IsCombiningMark(rune);
            marksInRow = mark ? marksInRow + 1 : 0;
            // A combining mark belongs to the letter before it: never first or on a separator, and never more than a
            // script's deepest stack (Tibetan's subjoined letters and vowels), so no one letter grows a column of
            // marks over the lines of a list or an admission notice. A comma parts surname from given names: one only.
            var refused = separator
                ? !MayFollow(previousSeparator, rune) || (rune.Value == ',' && ++commas > 1)
                : previousSeparator?.Value == ',' // the ASCII comma takes its space: "CHAN,Tai Man" is a typo
                    || (mark ? previousSeparator is not null || marksInRow > MaxMarksPerLetter : !IsNameCharacter(rune));
            if (refused)
            {
                return (CharactersZh, CharactersEn);
            }
            previousSeparator = separator ? rune : null;
        }
        if (previousSeparator is { } last && last.Value != '.') // an abbreviation may end a name (Jr.)
        {
            return (CharactersZh, CharactersEn);
        }
        return count <= MaxCharacters ? null : (RequiredZh, RequiredEn);
    }

    // Separators neither start a name nor follow one another, but for the space after a full stop (J. R. Smith) and the
    // one after the comma (CHAN, Tai Man).
    private static bool MayFollow(Rune? previousSeparator, Rune separator) =>
        previousSeparator is not { } previous || (previous.Value is '.' or ',' && separator.Value == ' ');

    // Planes 2 and 3 hold only CJK ideographs (extensions B to I and beyond): one newer than this runtime's Unicode
    // tables is still a character of somebody's name. The Hangul fillers are letters by category but print as nothing:
    // a name of them is a blank name.
    private static bool IsNameCharacter(Rune rune) =>
        rune.Value is >= 0x20000 and <= 0x3FFFF
        || (rune.Value is not (0x115F or 0x1160 or 0x3164 or 0xFFA0)
            && Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter);

    // Variation selectors (U+FE00–FE0F, U+E0100–E01EF) are marks too: a rare character's ideographic variant needs one.
    private static bool IsCombiningMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark;
}
