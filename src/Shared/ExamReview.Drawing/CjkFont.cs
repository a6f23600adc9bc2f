using SkiaSharp;

namespace ExamReview.Drawing;

/// <summary>
/// The CJK typeface every drawn document uses (WenQuanYi Micro Hei, Debian's fonts-wqy-microhei). Loaded from
/// the file rather than through fontconfig's fallback, so a machine without the font fails loudly instead of
/// printing boxes where the Chinese should be.
/// </summary>
public static class CjkFont
{
    public const string DefaultPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /// <summary>Overrides the font file (environment variable), for hosts that keep it elsewhere.</summary>
    public const string PathVariable = "EXAMREVIEW_CJK_FONT";

    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    public static SKTypeface Typeface => Loaded.Value;

    public static SKFont Font(float size) => new(Typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTypeface Load()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"CJK font file {path} is missing: install fonts-wqy-microhei (or set {PathVariable}).");
        }
        return SKTypeface.FromFile(path) ?? throw new InvalidOperationException($"CJK font file {path} could not be read.");
    }
}
