using SkiaSharp;

namespace ExamReview.Drawing;

/// <summary>Small drawing helpers shared by the example images and the printable documents.</summary>
public static class Sketch
{
    public static SKPaint Fill(SKColor color) => new() { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };

    public static SKPaint Stroke(SKColor color, float width) => new() { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true };

    /// <summary>
    /// Draws text: every drawn document's text goes through here, so a PDF drawn under <see cref="DocumentFonts"/>
    /// embeds only the glyphs it uses (text drawn straight onto the canvas embeds the whole font).
    /// </summary>
    public static void Text(SKCanvas canvas, string text, float x, float baseline, SKTextAlign align, SKFont font, SKPaint paint)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(font);
        DocumentFonts.Draw(canvas, text, x, baseline, align, font, paint);
    }

    /// <summary>Draws text centred on <paramref name="centreX"/> with its baseline at <paramref name="baseline"/>.</summary>
    public static void Centred(SKCanvas canvas, string text, float centreX, float baseline, SKFont font, SKPaint paint) =>
        Text(canvas, text, centreX, baseline, SKTextAlign.Center, font, paint);

    /// <summary>
    /// Draws text left-aligned, wrapping at <paramref name="width"/> (character by character, which is how Chinese
    /// wraps); returns the baseline below the last line.
    /// </summary>
    public static float Wrapped(SKCanvas canvas, string text, float x, float baseline, float width, SKFont font, SKPaint paint, float lineHeight)
    {
        var line = "";
        foreach (var ch in text)
        {
            if (font.MeasureText(line + ch) > width && line.Length > 0)
            {
                Text(canvas, line, x, baseline, SKTextAlign.Left, font, paint);
                baseline += lineHeight;
                line = "";
            }
            line += ch;
        }
        if (line.Length > 0)
        {
            Text(canvas, line, x, baseline, SKTextAlign.Left, font, paint);
            baseline += lineHeight;
        }
        return baseline;
    }

    /// <summary>
    /// The 样例 (sample) watermark across the whole area, diagonal and repeated, so an example can never be mistaken
    /// for (or uploaded as) a real document.
    /// </summary>
    public static void SampleWatermark(SKCanvas canvas, SKRect area, string text = "样例")
    {
        using var font = CjkFont.Font(Math.Max(28, Math.Min(area.Width, area.Height) / 7));
        using var paint = Fill(new SKColor(0xD0, 0x20, 0x20, 0x60));
        var step = font.Size * 3.2f;
        canvas.Save();
        canvas.ClipRect(area);
        canvas.RotateDegrees(-30, area.MidX, area.MidY);
        var reach = Math.Max(area.Width, area.Height) * 1.5f;
        for (var y = area.MidY - reach; y < area.MidY + reach; y += step)
        {
            for (var x = area.MidX - reach; x < area.MidX + reach; x += step * 1.3f)
            {
                Text(canvas, text, x, y, SKTextAlign.Center, font, paint);
            }
        }
        canvas.Restore();
    }

    /// <summary>A round red official seal (公章) with its text inside, as on Chinese certificates.</summary>
    public static void Seal(SKCanvas canvas, float cx, float cy, float radius, string text)
    {
        using var ring = Stroke(new SKColor(0xC8, 0x10, 0x10, 0xC0), radius / 14);
        using var fill = Fill(new SKColor(0xC8, 0x10, 0x10, 0xC0));
        canvas.DrawCircle(cx, cy, radius, ring);
        var points = new SKPoint[10];
        for (var i = 0; i < points.Length; i++)
        {
            var r = i % 2 == 0 ? radius * 0.28f : radius * 0.11f;
            var angle = -Math.PI / 2 + i * Math.PI / 5;
            points[i] = new SKPoint(cx + (float)(r * Math.Cos(angle)), cy + (float)(r * Math.Sin(angle)));
        }
        using var builder = new SKPathBuilder();
        builder.AddPoly(points, true);
        using var star = builder.Detach();
        canvas.DrawPath(star, fill);
        using var font = CjkFont.Font(radius / 4.5f);
        Centred(canvas, text, cx, cy + radius * 0.62f, font, fill);
    }
}
