using System.Diagnostics;
using System.Text;
using ExamReview.Drawing;
using ExamReview.Registration.Domain.Printing;
using SkiaSharp;
using Xunit.Abstractions;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Printed documents embed only the glyphs they draw (this SkiaSharp's PDF backend embeds fonts whole: WenQuanYi
/// Micro Hei made every notice ~2.4 MB). The test output shows size and time per notice, whole font against subset
/// (no timed assertions). Set EXAMREVIEW_DRAWINGS_DIR to keep both PDFs and look at them (pdftoppm -png).
/// </summary>
public sealed class PrintedFontSubsetTests(ITestOutputHelper output)
{
    private const int Rounds = 3;

    private static PrintData Data(string name) => new(
        2027, name, "43010119900101124X", "2027430012345678", "临床执业医师", "湖南考区", "长沙市考点",
        new DateTimeOffset(2027, 1, 10, 2, 30, 0, TimeSpan.Zero), PrintableDocumentTests.Portrait(), "ERN1.2027430012345678.registration-notice.x", 1);

    /// <summary>The notice as it was printed before subsetting: drawn straight into the PDF, fonts embedded whole.</summary>
    private static byte[] WholeFontNotice(PrintData data)
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { Creation = data.RegisteredAt.UtcDateTime, RasterDpi = 300 }))
        {
            PrintableDocuments.DrawNotice(document.BeginPage(PrintableDocuments.PageWidth, PrintableDocuments.PageHeight), data);
            document.EndPage();
            document.Close();
        }
        return stream.ToArray();
    }

    private (byte[] Pdf, double Milliseconds) Timed(string label, Func<byte[]> print)
    {
        var pdf = print(); // warm: font parsing and native loading happen once per process
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            pdf = print();
        }
        var ms = clock.Elapsed.TotalMilliseconds / Rounds;
        output.WriteLine($"{label}: {pdf.Length / 1024.0:F1} KB, {ms:F0} ms per notice");
        return (pdf, ms);
    }

    [Theory]
    [InlineData("common", "欧阳明日")]
    [InlineData("rare", "王𠀾明")] // CJK Extension B: WenQuanYi lacks it; drawn from a fallback font, or as a code-point box
    public void A_notice_embeds_a_subset_font_and_stays_small(string label, string name)
    {
        var data = Data(name);
        var (whole, _) = Timed($"{label} whole font", () => WholeFontNotice(data));
        var (subset, _) = Timed($"{label} subset", () => PrintableDocuments.Pdf(PrintableDocuments.RegistrationNotice, data));

        Assert.Equal("%PDF"u8.ToArray(), subset[..4]);
        Assert.InRange(subset.Length, 1, 400 * 1024);
        Assert.True(subset.Length * 4 < whole.Length, $"subset {subset.Length} bytes, whole {whole.Length} bytes");
        var text = Encoding.Latin1.GetString(subset);
        Assert.Matches(@"/FontFile[23]?\b", text); // still embedded: prints the same on a machine without the font
        if (Environment.GetEnvironmentVariable("EXAMREVIEW_DRAWINGS_DIR") is { Length: > 0 } dir)
        {
            File.WriteAllBytes(Path.Combine(dir, $"notice-{label}-whole-font.pdf"), whole);
            File.WriteAllBytes(Path.Combine(dir, $"notice-{label}-subset.pdf"), subset);
        }
    }

    [Fact]
    public void The_subset_typeface_has_the_requested_characters_and_no_others()
    {
        const string wanted = "网上报名成功通知单AZ09：";
        Assert.True(PrintableText.Has(CjkFont.Typeface, '龙'));

        using var subset = FontSubset.TryCreate(CjkFont.Typeface, wanted.EnumerateRunes().Select(r => r.Value), out var failure);

        Assert.Null(failure);
        Assert.NotNull(subset);
        Assert.All(wanted.EnumerateRunes(), r => Assert.True(PrintableText.Has(subset, r.Value), $"U+{r.Value:X4} missing"));
        Assert.False(PrintableText.Has(subset, '龙'));
        using var font = new SKFont(subset, 12);
        using var full = CjkFont.Font(12);
        Assert.Equal(full.MeasureText(wanted), font.MeasureText(wanted), 3); // same advances: layout unchanged
    }

    [Fact]
    public void Notices_printed_at_once_on_many_threads_are_each_the_same_as_one_printed_alone()
    {
        var data = Data("欧阳明日");
        var alone = PrintableDocuments.Pdf(PrintableDocuments.RegistrationNotice, data);

        var together = new byte[8][];
        Parallel.For(0, together.Length, i => together[i] = PrintableDocuments.Pdf(PrintableDocuments.RegistrationNotice, data));

        Assert.All(together, pdf => Assert.Equal(alone, pdf));
        Assert.InRange(alone.Length, 1, 400 * 1024);
    }
}
