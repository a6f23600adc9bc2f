using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using SkiaSharp;

namespace ExamReview.Drawing;

/// <summary>
/// Draws text a person typed (a candidate's name, a site's name) where the CJK font may lack some characters:
/// WenQuanYi Micro Hei covers the common CJK block but not the rare ones of Extension B and beyond (生僻字 such as
/// 𠀾), nor emoji. Each character the CJK font lacks is drawn in a font of this machine that has it (fontconfig's
/// match, checked to really hold the glyph); one no font here has is drawn as a visible placeholder — a box with its
/// code point in hex, as Unicode's last-resort font does — never as an empty .notdef box or silently dropped, and
/// <see cref="Unprintable"/> names it so the caller can say so.
/// </summary>
public static class PrintableText
{
    // Null: no font on this machine has the character. Keyed by code point; a handful of entries in practice.
    private static readonly ConcurrentDictionary<int, SKTypeface?> Fallbacks = new();

    /// <summary>The characters of <paramref name="text"/> no font on this machine can draw, as code points, in order, once each.</summary>
    public static IReadOnlyList<int> Unprintable(string text) =>
        [.. text.EnumerateRunes().Select(r => r.Value).Where(c => Source(c) is Glyphs.None).Distinct()];

    /// <summary>"U+2003E U+210C1": how code points are named in logs and headers.</summary>
    public static string Describe(IEnumerable<int> codePoints) =>
        string.Join(' ', codePoints.Select(c => "U+" + c.ToString("X4", CultureInfo.InvariantCulture)));

    /// <summary>Draws left-aligned text at <paramref name="x"/>, falling back per character as above; returns the advance.</summary>
    public static float Draw(SKCanvas canvas, string text, float x, float baseline, SKFont font, SKPaint paint)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(font);
        var start = x;
        foreach (var (run, typeface) in Runs(text))
        {
            if (typeface is null)
            {
                x += Placeholder(canvas, run.EnumerateRunes().First().Value, x, baseline, font, paint);
                continue;
            }
            x += DrawRun(canvas, run, x, baseline, font, typeface, paint);
        }
        return x - start;
    }

    private static float DrawRun(SKCanvas canvas, string run, float x, float baseline, SKFont font, SKTypeface typeface, SKPaint paint)
    {
        using var runFont = Like(font, typeface);
        Sketch.Text(canvas, run, x, baseline, SKTextAlign.Left, runFont, paint);
        return runFont.MeasureText(run);
    }

    private enum Glyphs { Cjk, Fallback, None }

    private static Glyphs Source(int codePoint) =>
        Has(CjkFont.Typeface, codePoint) || Rune.IsControl(new Rune(codePoint)) ? Glyphs.Cjk
        : Fallback(codePoint) is not null ? Glyphs.Fallback
        : Glyphs.None;

    private static SKTypeface? Fallback(int codePoint) => Fallbacks.GetOrAdd(codePoint, c =>
        SKFontManager.Default.MatchCharacter(c) is { } match && Has(match, c) ? match : null);

    /// <summary>Whether the typeface itself has the character (no fallback of its own).</summary>
    public static bool Has(SKTypeface typeface, int codePoint)
    {
        using var font = new SKFont(typeface);
        return font.ContainsGlyph(codePoint);
    }

    /// <summary>Consecutive characters drawn with the same typeface; a missing character is a run of its own (typeface null).</summary>
    private static IEnumerable<(string Run, SKTypeface? Typeface)> Runs(string text)
    {
        var run = new StringBuilder();
        SKTypeface? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var typeface = Source(rune.Value) switch
            {
                Glyphs.Cjk => CjkFont.Typeface,
                Glyphs.Fallback => Fallback(rune.Value),
                _ => null,
            };
            if (run.Length > 0 && (typeface != current || typeface is null || current is null))
            {
                yield return (run.ToString(), current);
                run.Clear();
            }
            current = typeface;
            run.Append(rune.ToString());
        }
        if (run.Length > 0)
        {
            yield return (run.ToString(), current);
        }
    }

    private static SKFont Like(SKFont font, SKTypeface typeface) =>
        new(typeface, font.Size) { Subpixel = font.Subpixel, Edging = font.Edging, Embolden = font.Embolden };

    /// <summary>A box one em wide with the code point's hex digits in two rows inside; returns its advance.</summary>
    private static float Placeholder(SKCanvas canvas, int codePoint, float x, float baseline, SKFont font, SKPaint paint)
    {
        var size = font.Size;
        var box = SKRect.Create(x + size * 0.06f, baseline - size * 0.86f, size * 0.88f, size * 1.0f);
        using var line = new SKPaint { Color = paint.Color, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(0.4f, size / 22), IsAntialias = true };
        canvas.DrawRect(box, line);
        var hex = codePoint.ToString("X4", CultureInfo.InvariantCulture);
        var split = (hex.Length + 1) / 2;
        using var digits = new SKFont(CjkFont.Typeface, size * 0.36f) { Subpixel = true, Edging = SKFontEdging.Antialias };
        Sketch.Text(canvas, hex[..split], box.MidX, box.MidY - size * 0.05f, SKTextAlign.Center, digits, paint);
        Sketch.Text(canvas, hex[split..], box.MidX, box.MidY + size * 0.33f, SKTextAlign.Center, digits, paint);
        return size;
    }
}
