using ExamReview.Drawing;
using SkiaSharp;

namespace ExamReview.MaterialStorage.Domain.Examples;

/// <summary>
/// Draws a material type's example (示例): a schematic of the document with its Chinese name, watermarked 样例.
/// The ID card shows its three required views (正面、反面、手持); a card-like document is drawn landscape, every
/// other document as a stamped certificate page. Drawn rather than shipped, so a catalog's new type gets one too.
/// </summary>
public static class ExampleDrawing
{
    private static readonly SKColor Ink = new(0x33, 0x33, 0x33);
    private static readonly SKColor Faint = new(0xB8, 0xB8, 0xB8);
    private static readonly SKColor Paper = new(0xFB, 0xF8, 0xF0);

    /// <summary>Types whose document is a card rather than a page.</summary>
    private static readonly HashSet<string> Cards = new(StringComparer.Ordinal) { "student-card", "previous-admission-ticket" };

    public static byte[] Png(string code, string name)
    {
        var landscape = code == "id-card" || Cards.Contains(code);
        var (width, height) = landscape ? (960, 640) : (640, 880);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        if (code == "id-card")
        {
            IdCard(canvas, width, height, name);
        }
        else if (Cards.Contains(code))
        {
            Card(canvas, width, height, name);
        }
        else
        {
            Certificate(canvas, width, height, name);
        }
        Sketch.SampleWatermark(canvas, new SKRect(0, 0, width, height));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void Caption(SKCanvas canvas, float width, float baseline, string text)
    {
        using var font = CjkFont.Font(30);
        using var paint = Sketch.Fill(Ink);
        Sketch.Centred(canvas, text, width / 2, baseline, font, paint);
    }

    private static void Lines(SKCanvas canvas, float x, float y, float width, int count, float gap)
    {
        using var paint = Sketch.Fill(Faint);
        for (var i = 0; i < count; i++)
        {
            var length = width * (i % 3 == 2 ? 0.6f : 1f);
            canvas.DrawRoundRect(new SKRect(x, y + i * gap, x + length, y + i * gap + 10), 4, 4, paint);
        }
    }

    private static void IdCard(SKCanvas canvas, int width, int height, string name)
    {
        Caption(canvas, width, 56, name + "（正面、反面、手持，共 3 张）");
        using var label = CjkFont.Font(24);
        using var ink = Sketch.Fill(Ink);
        using var border = Sketch.Stroke(Ink, 3);
        using var card = Sketch.Fill(new SKColor(0xE8, 0xF1, 0xFA));
        var panel = (width - 80) / 3f;
        string[] views = ["正面（人像面）", "反面（国徽面）", "本人手持正面"];
        for (var i = 0; i < 3; i++)
        {
            var left = 20 + i * (panel + 20);
            var rect = new SKRect(left, 200, left + panel, 200 + panel * 0.63f);
            if (i == 2)
            {
                // A head and shoulders behind the card, the hand holding it at the bottom.
                using var person = Sketch.Fill(new SKColor(0xC9, 0xC9, 0xC9));
                canvas.DrawCircle(rect.MidX, 150, 52, person);
                canvas.DrawRoundRect(new SKRect(rect.Left + 20, 190, rect.Right - 20, 420), 60, 60, person);
                rect = new SKRect(rect.Left + 30, 250, rect.Right - 30, 250 + (panel - 60) * 0.63f);
            }
            canvas.DrawRoundRect(rect, 14, 14, card);
            canvas.DrawRoundRect(rect, 14, 14, border);
            if (i == 1)
            {
                using var emblem = Sketch.Stroke(new SKColor(0xC8, 0x10, 0x10), 4);
                canvas.DrawCircle(rect.Left + rect.Width * 0.2f, rect.Top + rect.Height * 0.3f, rect.Height * 0.16f, emblem);
                Lines(canvas, rect.Left + rect.Width * 0.1f, rect.Top + rect.Height * 0.62f, rect.Width * 0.8f, 2, 22);
            }
            else
            {
                using var photo = Sketch.Fill(Faint);
                canvas.DrawRect(new SKRect(rect.Right - rect.Width * 0.32f, rect.Top + 14, rect.Right - 14, rect.Bottom - 30), photo);
                Lines(canvas, rect.Left + 14, rect.Top + 20, rect.Width * 0.5f, 4, rect.Height / 6);
            }
            Sketch.Centred(canvas, views[i], left + panel / 2, 520, label, ink);
        }
        Caption(canvas, width, 600, "人像与证件内容清晰可辨，画面正向，不得翻转旋转");
    }

    private static void Card(SKCanvas canvas, int width, int height, string name)
    {
        Caption(canvas, width, 60, name);
        var rect = new SKRect(140, 110, width - 140, height - 90);
        using var paper = Sketch.Fill(Paper);
        using var border = Sketch.Stroke(Ink, 3);
        canvas.DrawRoundRect(rect, 16, 16, paper);
        canvas.DrawRoundRect(rect, 16, 16, border);
        using var photo = Sketch.Fill(Faint);
        canvas.DrawRect(new SKRect(rect.Left + 30, rect.Top + 40, rect.Left + 160, rect.Top + 210), photo);
        Lines(canvas, rect.Left + 200, rect.Top + 50, rect.Width - 240, 6, 42);
        Sketch.Seal(canvas, rect.Right - 110, rect.Bottom - 100, 70, "（单位公章）");
    }

    private static void Certificate(SKCanvas canvas, int width, int height, string name)
    {
        var rect = new SKRect(40, 40, width - 40, height - 40);
        using var paper = Sketch.Fill(Paper);
        using var frame = Sketch.Stroke(new SKColor(0x9A, 0x6A, 0x2A), 6);
        using var inner = Sketch.Stroke(new SKColor(0x9A, 0x6A, 0x2A), 2);
        canvas.DrawRect(rect, paper);
        canvas.DrawRect(rect, frame);
        canvas.DrawRect(SKRect.Inflate(rect, -14, -14), inner);
        using var title = CjkFont.Font(name.Length > 14 ? 26 : 36);
        using var ink = Sketch.Fill(Ink);
        var baseline = Sketch.Wrapped(canvas, name, rect.Left + 50, rect.Top + 110, rect.Width - 100, title, ink, title.Size * 1.4f);
        Lines(canvas, rect.Left + 60, baseline + 30, rect.Width - 120, 9, 44);
        Sketch.Seal(canvas, rect.Right - 150, rect.Bottom - 150, 85, "（单位公章）");
        using var small = CjkFont.Font(22);
        canvas.DrawText("年    月    日", rect.Right - 300, rect.Bottom - 40, SKTextAlign.Left, small, ink);
    }
}
