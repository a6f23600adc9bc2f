using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Tests;
using NetVips;

namespace ExamReview.LoadGenerator;

/// <summary>
/// What candidates upload: scanned document pages put through the Normaliser as a phone photo would be (upright
/// JPEGs of 100–200 KB, about 1000×1400), and one ID portrait for the photo tool (a real face, public domain).
/// </summary>
internal static class Documents
{
    public static byte[][] Build(int count)
    {
        var normaliser = new Normaliser(new NormaliserOptions());
        var documents = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            using var page = TestImages.DocumentPage(3000, 4000, noise: 0.5 + (i % 4) * 0.8, seed: i + 1);
            var phone = TestImages.Jpeg(page, 88);
            documents.Add(normaliser.Normalise(phone).Jpeg ?? throw new InvalidOperationException("a load document did not normalise"));
        }
        return [.. documents];
    }

    /// <summary>
    /// The portrait the photo tool passes: the face centred on a white 384×600 canvas, the background strips it
    /// reads white (as the tests' FacePortraits.OnWhite, drawn here with libvips instead of OpenCV).
    /// </summary>
    public static byte[] Portrait()
    {
        using var source = Image.NewFromFile(Path.Combine(AppContext.BaseDirectory, "Portraits", "astronaut-portrait.jpg"));
        using var region = source.Crop(89, 0, 192, 279);
        using var scaled = region.Resize(2.0, kernel: Enums.Kernel.Lanczos3);
        using var fitted = scaled.Crop(0, 0, Math.Min(384, scaled.Width), Math.Min(558, scaled.Height));
        using var canvas = fitted.Embed(0, 42, 384, 600, extend: Enums.Extend.Background, background: [250, 250, 250]);
        using var painted = canvas.Mutate(m =>
        {
            m.DrawRect([250, 250, 250], 0, 0, 34, 250, fill: true);
            m.DrawRect([250, 250, 250], 384 - 34, 0, 34, 250, fill: true);
        });
        return painted.JpegsaveBuffer(q: 92, keep: Enums.ForeignKeep.None);
    }

    public static string Describe(byte[][] documents)
    {
        using var first = Image.NewFromBuffer(documents[0]);
        return $"{documents.Length} JPEGs of {first.Width}x{first.Height}, {documents.Min(d => d.Length) / 1024}–{documents.Max(d => d.Length) / 1024} KB";
    }
}
