namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// What may appear in text a person typed (names, reasons, notes, feedback, corrections, template bodies):
/// - no control characters (C0 including NUL, DEL, C1): PostgreSQL refuses NUL in text (a 500 in the distributed
///   run), and the others corrupt logs, SMS and printed notices;
/// - no bidirectional embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069): they make a reviewer read
///   "cod.exe" where the text says "exe.doc", or a reason that says the opposite of what is stored;
/// - no other invisible format characters (Unicode category Cf but the joiners U+200C/U+200D: zero-width spaces, U+200E/U+200F marks,
///   the byte-order mark, soft hyphens): "张\u200B三" looks like 张三 to a reviewer but matches no search for it;
/// - free text may break lines and tab (<c>\n</c>, <c>\r</c>, <c>\t</c>); a single-line value (a name) may not.
/// </summary>
public static class TextHygiene
{
    /// <summary>The first character a value may not contain, or null when it is clean.</summary>
    public static char? FirstForbidden(string? value, bool singleLine)
    {
        if (value is null)
        {
            return null;
        }
        foreach (var c in value)
        {
            if (IsForbidden(c, singleLine))
            {
                return c;
            }
        }
        return null;
    }

    public static bool IsForbidden(char c, bool singleLine) =>
        IsBidiControl(c) || (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format && !IsJoiner(c))
        || (char.IsControl(c) && (singleLine || c is not ('\n' or '\r' or '\t')));

    // The zero-width joiner and non-joiner are part of how some scripts and emoji are written, not a way to hide text.
    private static bool IsJoiner(char c) => c is '\u200C' or '\u200D';

    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>How a refused character is named to the client: its code point, never the character itself.</summary>
    public static string Describe(char c) => $"U+{(int)c:X4}";

    /// <summary>
    /// A client's file name made safe to store and show: the last path segment only, without control, bidi or
    /// format characters and without characters file systems or Content-Disposition treat specially, at most 255
    /// characters with its extension kept (a surrogate pair is kept whole or dropped); "upload" when nothing remains.
    /// </summary>
    public static string SanitiseFileName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var kept = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsControl(c) || IsBidiControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format
                || c is '<' or '>' or ':' or '"' or '|' or '?' or '*' or ';')
            {
                continue;
            }
            kept.Append(c);
        }
        var clean = kept.ToString().Trim().Trim('.').Trim();
        if (clean.Length > 255)
        {
            var extension = Path.GetExtension(clean);
            extension = extension.Length <= 16 ? extension : "";
            // Cut between characters, never inside a surrogate pair: half an emoji is not text (PostgreSQL's client
            // refuses to encode it, a 500; SQLite would store a replacement character).
            var keep = 255 - extension.Length;
            keep -= char.IsHighSurrogate(clean[keep - 1]) ? 1 : 0;
            clean = clean[..keep] + extension;
        }
        return clean.Length == 0 ? "upload" : clean;
    }
}
