using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Tests;
using NetVips;

namespace ExamReview.Benchmarks;

/// <summary>
/// Realistic stored documents: 12 MP "phone photos" of text pages with sensor noise, put through the
/// Normaliser as an upload would be, giving upright JPEGs of just under 200 KB (the noise makes the
/// Normaliser step down to about 0.8 MP to fit; the run prints the size).
/// </summary>
internal static class Corpus
{
    private static readonly Lazy<byte[][]> s_documents = new(Build);

    public static byte[][] Documents => s_documents.Value;

    public static string Describe()
    {
        using var first = Image.NewFromBuffer(Documents[0]);
        return $"{first.Width}x{first.Height}";
    }

    private static byte[][] Build()
    {
        var normaliser = new Normaliser(new NormaliserOptions());
        var documents = new List<byte[]>();
        foreach (var (noise, seed) in new[] { (4.0, 1), (7.0, 2), (10.0, 3), (5.0, 4) })
        {
            using var page = TestImages.DocumentPage(3000, 4000, noise, seed: seed);
            var phone = TestImages.Jpeg(page, 88);
            var normalised = normaliser.Normalise(phone);
            documents.Add(normalised.Jpeg ?? throw new InvalidOperationException("corpus document did not normalise"));
        }

        return [.. documents];
    }

    /// <summary>
    /// The small file that decodes to tens of megapixels: a 6000 × 6000 PNG of a sparse page (a few lines of
    /// text on white), about 100 KB, within the 200 KB upload limit and the 40 MP pixel budget: 108 MB as
    /// 8-bit sRGB if decoded at full size.
    /// </summary>
    public static byte[] BombPng()
    {
        using var text = Image.Text("中华人民共和国医师资格考试 报名材料 毕业证书 Certificate No. 2024-110105-0042", font: "WenQuanYi Micro Hei 120px", width: 4800);
        using var ink = text.Linear([-0.9], [245.0], uchar: true);
        using var page = ink.Embed(600, 800, 6000, 6000, extend: Enums.Extend.Background, background: [245]);
        using var srgb = page.Colourspace(Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer(compression: 9, keep: Enums.ForeignKeep.None);
    }
}
