using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// Document scans that pass ImageValidation's real checks (decodable, legible resolution, sharp text, under 200 KB),
/// rendered once with libvips; a JPEG comment with a fresh id makes every image's bytes different.
/// </summary>
public static class ReviewTestImages
{
    private static readonly Lazy<byte[]> Page = new(Render);

    public static byte[] Document() => JpegSegments.InsertComment(Page.Value, "review test " + Guid.NewGuid().ToString("N"));

    private static byte[] Render()
    {
        const int width = 800;
        const int height = 1000;
        var text = string.Concat(Enumerable.Repeat("中华人民共和国医师资格考试 毕业证书 姓名 张三 专业 临床医学 Certificate No. 2027-430101 ", 20));
        using var coverage = Image.Text(text, font: $"WenQuanYi Micro Hei {width / 40}px", width: width * 8 / 10);
        using var clipped = coverage.ExtractArea(0, 0, coverage.Width, Math.Min(coverage.Height, height * 8 / 10));
        using var inked = clipped.Linear([-0.9], [245.0], uchar: true);
        using var page = inked.Embed(width / 10, height / 10, width, height, extend: Enums.Extend.Background, background: [245]);
        return page.JpegsaveBuffer(q: 80, optimizeCoding: true, keep: Enums.ForeignKeep.None);
    }
}
