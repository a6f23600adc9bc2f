using System.Text;
using SkiaSharp;

namespace ExamReview.Drawing;

/// <summary>
/// Makes a PDF embed only the glyphs it draws. A document is drawn twice: once onto a picture recorder (cheap, no PDF)
/// while this scope notes every typeface and character that goes through <see cref="Sketch.Text"/>, then for real,
/// with <see cref="Sketch.Text"/> drawing each of those typefaces' subsets (<see cref="FontSubset"/>) instead.
/// Text drawn straight onto the canvas (not through <see cref="Sketch.Text"/>) still prints, with the whole font.
/// The scope is per thread: a document is drawn synchronously on one thread, and concurrent documents do not mix.
/// </summary>
public sealed class DocumentFonts : IDisposable
{
    [ThreadStatic]
    private static DocumentFonts? current;

    private readonly DocumentFonts? outer;
    private readonly HashSet<int> codePoints = [];
    private readonly Dictionary<IntPtr, SKTypeface> used = [];
    private readonly Dictionary<IntPtr, SKTypeface> subsets = [];
    private readonly List<string> failures = [];
    private bool recording = true;

    private DocumentFonts()
    {
        outer = current;
        current = this;
    }

    /// <summary>Why a typeface could not be subset (it is then embedded whole): for the caller to log as a warning.</summary>
    public IReadOnlyList<string> Failures => failures;

    /// <summary>How many typefaces the document draws with subsets.</summary>
    public int Subsets => subsets.Count;

    /// <summary>
    /// Runs <paramref name="draw"/> once to learn the document's characters, subsets its typefaces, and returns the
    /// scope under which drawing it again uses the subsets. Dispose it after the PDF is closed.
    /// </summary>
    public static DocumentFonts Subset(Action<SKCanvas> draw, SKRect bounds)
    {
        ArgumentNullException.ThrowIfNull(draw);
        var fonts = new DocumentFonts();
        try
        {
            using (var recorder = new SKPictureRecorder())
            {
                draw(recorder.BeginRecording(bounds));
                using var unused = recorder.EndRecording();
            }
            fonts.recording = false;
            foreach (var (handle, typeface) in fonts.used)
            {
                // .notdef is always kept by hb-subset; nothing else the document does not draw is.
                if (FontSubset.TryCreate(typeface, fonts.codePoints, out var failure) is { } subset)
                {
                    fonts.subsets[handle] = subset;
                }
                else
                {
                    fonts.failures.Add(failure ?? $"typeface {typeface.FamilyName} could not be subset");
                }
            }
            return fonts;
        }
        catch
        {
            fonts.Dispose();
            throw;
        }
    }

    /// <summary>Draws text with the subset of its font's typeface when this thread is drawing a subset document.</summary>
    internal static void Draw(SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        if (current is { } fonts && font.Typeface is { } typeface)
        {
            if (fonts.recording)
            {
                fonts.used.TryAdd(typeface.Handle, typeface);
                foreach (var rune in text.EnumerateRunes())
                {
                    fonts.codePoints.Add(rune.Value);
                }
            }
            else if (fonts.subsets.TryGetValue(typeface.Handle, out var subset) && fonts.Covers(text))
            {
                using var subsetFont = Like(font, subset);
                canvas.DrawText(text, x, y, align, subsetFont, paint);
                return;
            }
        }
        // Not in a document, or text the first drawing did not show (drawn differently the second time): the whole
        // font, so the characters still print.
        canvas.DrawText(text, x, y, align, font, paint);
    }

    private bool Covers(string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (!codePoints.Contains(rune.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static SKFont Like(SKFont font, SKTypeface typeface) => new(typeface, font.Size, font.ScaleX, font.SkewX)
    {
        Subpixel = font.Subpixel,
        Edging = font.Edging,
        Embolden = font.Embolden,
        Hinting = font.Hinting,
        LinearMetrics = font.LinearMetrics,
        BaselineSnap = font.BaselineSnap,
        ForceAutoHinting = font.ForceAutoHinting,
    };

    public void Dispose()
    {
        if (current == this)
        {
            current = outer;
        }
        foreach (var subset in subsets.Values)
        {
            subset.Dispose();
        }
        subsets.Clear();
    }
}
