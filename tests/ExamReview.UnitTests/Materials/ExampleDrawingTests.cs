using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.MaterialStorage.Domain.Examples;
using SkiaSharp;

namespace ExamReview.UnitTests.Materials;

/// <summary>Every seed catalog item has a drawn example: a real PNG with the 样例 watermark's red across it.</summary>
public sealed class ExampleDrawingTests
{
    public static TheoryData<string, string> SeedTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (var area in new[] { "*", "43" })
        {
            var (catalog, _) = CatalogParser.Parse(CatalogStore.SeedDocument(area));
            foreach (var type in catalog!.Types.Where(t => area == "*" || t.Code == "previous-admission-ticket"))
            {
                data.Add(type.Code, type.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SeedTypes))]
    public void Each_seed_type_gets_a_watermarked_drawing(string code, string name)
    {
        var png = ExampleDrawing.Png(code, name);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= 640 && bitmap.Height >= 640);
        // The watermark is translucent red over white paper: some pixels are clearly red-tinted.
        var reddish = 0;
        for (var y = 0; y < bitmap.Height; y += 4)
        {
            for (var x = 0; x < bitmap.Width; x += 4)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red > 200 && c.Green < 200 && c.Blue < 200)
                {
                    reddish++;
                }
            }
        }
        Assert.True(reddish > 100, $"only {reddish} watermark pixels");
        if (Environment.GetEnvironmentVariable("EXAMREVIEW_DRAWINGS_DIR") is { Length: > 0 } dir)
        {
            File.WriteAllBytes(Path.Combine(dir, code + ".png"), png); // for a person to look at
        }
    }
}
