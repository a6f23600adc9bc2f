using ExamReview.Imaging;
using NetVips;
using ExamReview.IntegrationTests.Platform;
using ExamReview.PassMarks;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// Document images for the material tests: the platform's test page, re-encoded until it sits comfortably under
/// the default 200 KB limit so these tests exercise MaterialStorage, not the size of someone else's test page.
/// </summary>
public static class MaterialImages
{
    private const int Budget = 120 * 1024;
    private static readonly Lazy<byte[]> Page = new(Render);
    private static readonly Lazy<byte[]> PngPage = new(RenderPng);

    /// <summary>A legible JPEG page, unique per call (a comment segment), well under 200 KB.</summary>
    public static byte[] Document() => JpegSegments.InsertComment(Page.Value, "materials " + Guid.NewGuid().ToString("N"));

    /// <summary>The same page as PNG (half size), well under 200 KB.</summary>
    public static byte[] Png() => PngPage.Value.ToArray();

    /// <summary>JPEG-framed bytes of an exact size: refused by size before anything decodes them.</summary>
    public static byte[] Oversized(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    private static byte[] Render()
    {
        var page = TestImages.Document();
        if (page.Length <= Budget)
        {
            return page;
        }
        using var image = Image.NewFromBuffer(page);
        foreach (var quality in new[] { 70, 60, 50, 40, 30 })
        {
            var encoded = image.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: Enums.ForeignKeep.None);
            if (encoded.Length <= Budget)
            {
                return encoded;
            }
        }
        using var smaller = image.Resize(0.6);
        return smaller.JpegsaveBuffer(q: 60, optimizeCoding: true, keep: Enums.ForeignKeep.None);
    }

    private static byte[] RenderPng()
    {
        using var image = Image.NewFromBuffer(Page.Value);
        using var half = image.Resize(0.5);
        return half.PngsaveBuffer(keep: Enums.ForeignKeep.None);
    }
}
