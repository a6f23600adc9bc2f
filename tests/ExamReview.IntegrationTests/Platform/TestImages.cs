using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>Images for the platform tests, rendered with libvips so they pass (or fail) the real checks.</summary>
public static class TestImages
{
    private static readonly Lazy<byte[]> Page = new(() => RenderPage(800, 1100, quality: 75));

    /// <summary>A legible scanned-document JPEG (800×1100, well under 200 KB), unique per call by an appended comment.</summary>
    public static byte[] Document() => JpegSegments.InsertComment(Page.Value, "test " + Guid.NewGuid().ToString("N"));

    /// <summary>A legible scanned-document JPEG over 200 KB (1600×2200 at quality 98): for an area that raised its size limit.</summary>
    public static byte[] LargeDocument() => JpegSegments.InsertComment(LargePage.Value, "test " + Guid.NewGuid().ToString("N"));

    private static readonly Lazy<byte[]> LargePage = new(() => RenderPage(1600, 2200, quality: 98));

    /// <summary>A PNG document page.</summary>
    public static byte[] Png()
    {
        using var page = Image.NewFromBuffer(Document());
        return page.PngsaveBuffer(keep: Enums.ForeignKeep.None);
    }

    /// <summary>
    /// JPEG-framed filler of exactly <paramref name="size"/> bytes (SOI … EOI, not decodable): for the checks
    /// MaterialStorage makes on bytes and sizes before anything decodes an image.
    /// </summary>
    public static byte[] Document(int size)
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

    /// <summary>Same as <see cref="Document(int)"/>; reads better where the size is the point.</summary>
    public static byte[] Oversized(int size) => Document(size);

    /// <summary>PNG-signed filler of exactly <paramref name="size"/> bytes (not decodable).</summary>
    public static byte[] Png(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] RenderPage(int width, int height, int quality)
    {
        const string Paragraph = "中华人民共和国医师资格考试 报名材料 毕业证书 姓名 张三 专业 临床医学 学制 五年 Certificate No. 2024-430105-0042 ";
        using var text = Image.Text(string.Concat(Enumerable.Repeat(Paragraph, 10)),
            font: $"WenQuanYi Micro Hei {width / 40}px", width: width * 8 / 10);
        using var clipped = text.ExtractArea(0, 0, text.Width, Math.Min(text.Height, height * 8 / 10));
        using var inked = clipped.Linear([-0.9], [245.0], uchar: true); // coverage → dark ink on off-white paper
        using var page = inked.Embed(width / 10, height / 10, width, height, extend: Enums.Extend.Background, background: [245]);
        return page.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: Enums.ForeignKeep.None);
    }
}
