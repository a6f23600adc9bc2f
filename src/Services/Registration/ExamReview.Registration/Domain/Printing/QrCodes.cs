using QRCoder;
using SkiaSharp;

namespace ExamReview.Registration.Domain.Printing;

/// <summary>QR codes drawn as vector squares (crisp at any print resolution), quiet zone included.</summary>
public static class QrCodes
{
    public static void Draw(SKCanvas canvas, string payload, SKRect area)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var count = modules.Count;
        var module = Math.Min(area.Width, area.Height) / count;
        using var white = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill };
        using var black = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill, IsAntialias = false };
        canvas.DrawRect(SKRect.Create(area.Left, area.Top, module * count, module * count), white);
        for (var y = 0; y < count; y++)
        {
            for (var x = 0; x < count; x++)
            {
                if (modules[y][x])
                {
                    // A hair wider than the module so neighbouring squares leave no hairline gaps in a PDF viewer.
                    canvas.DrawRect(SKRect.Create(area.Left + x * module, area.Top + y * module, module + 0.05f, module + 0.05f), black);
                }
            }
        }
    }
}
