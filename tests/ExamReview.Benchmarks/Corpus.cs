using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Tests;
using ExamReview.Imaging;

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
        using var first = VipsImage.LoadFromBuffer(Documents[0]);
        return $"{first.Width}x{first.Height}";
    }

    private static byte[][] Build()
    {
        var normaliser = new Normaliser(new NormaliserOptions());
        var documents = new List<byte[]>();
        foreach (var (noise, seed) in new[] { (4.0, 1), (7.0, 2), (10.0, 3), (5.0, 4) })
        {
            using var page = TestImages.DocumentPage(3000, 4000, noise, seed: seed);
            var phone = page.ToJpeg(new JpegSaveOptions { Quality = 88 });
            var normalised = normaliser.Normalise(phone);
            documents.Add(normalised.Jpeg ?? throw new InvalidOperationException("corpus document did not normalise"));
        }

        return [.. documents];
    }
}
