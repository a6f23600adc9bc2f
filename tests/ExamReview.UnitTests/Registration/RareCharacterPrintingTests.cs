using ExamReview.Drawing;
using ExamReview.Registration.Api;
using ExamReview.Registration.Domain.Printing;
using SkiaSharp;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Names with characters the CJK font lacks (生僻字 of CJK Extension B, which registration accepts; an emoji): each
/// character prints in a font of this machine that has it, or as a visible box holding its code point that the
/// document names — never as a silent .notdef box. Set EXAMREVIEW_DRAWINGS_DIR to keep the PDFs (pdftoppm -png).
/// </summary>
public sealed class RareCharacterPrintingTests
{
    // U+10FFFD: a private-use character of plane 16 that no font has, so the placeholder is tested on any machine.
    private static readonly string Unfontable = char.ConvertFromUtf32(0x10FFFD);

    private static PrintData Data(string name) => new(
        2027, name, "43010119900101124X", "2027430012345678", "临床执业医师", "湖南考区", "长沙市考点",
        new DateTimeOffset(2027, 1, 10, 2, 30, 0, TimeSpan.Zero), PrintableDocumentTests.Portrait(), "ERN1.2027430012345678.registration-notice.x", 1);

    private static bool SomeFontHas(int codePoint) =>
        PrintableText.Has(CjkFont.Typeface, codePoint)
        || (SKFontManager.Default.MatchCharacter(codePoint) is { } match && PrintableText.Has(match, codePoint));

    [Theory]
    [InlineData("rare", "王𠀾𡃁")] // CJK Extension B
    [InlineData("emoji", "李小明😀")]
    public void Every_character_is_drawn_from_a_font_that_has_it_or_named_as_unprintable(string label, string name)
    {
        var data = Data(name);
        var unprintable = PrintableDocuments.Unprintable(data);

        foreach (var rune in name.EnumerateRunes())
        {
            Assert.NotEqual(SomeFontHas(rune.Value), unprintable.Contains(rune.Value));
        }
        Assert.All("王李小明".EnumerateRunes(), r => Assert.DoesNotContain(r.Value, unprintable));
        var pdf = PrintableDocuments.Pdf(PrintableDocuments.RegistrationNotice, data);
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        if (Environment.GetEnvironmentVariable("EXAMREVIEW_DRAWINGS_DIR") is { Length: > 0 } dir)
        {
            File.WriteAllBytes(Path.Combine(dir, $"notice-{label}.pdf"), pdf);
        }
    }

    [Fact]
    public void A_character_no_font_has_is_named_and_drawn_as_a_box_with_its_code_point()
    {
        var name = "张" + Unfontable;
        Assert.Equal([0x10FFFD], PrintableDocuments.Unprintable(Data(name)));
        Assert.Equal("U+10FFFD", PrintableText.Describe(PrintableText.Unprintable(name)));

        // The placeholder has ink inside its box (the hex digits), where a .notdef box or a dropped character has none.
        using var bitmap = new SKBitmap(80, 40, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var font = CjkFont.Font(26);
            using var ink = Sketch.Fill(SKColors.Black);
            var advance = PrintableText.Draw(canvas, Unfontable, 4, 32, font, ink);
            Assert.Equal(26, advance);
        }
        var inside = 0;
        for (var y = 14; y < 30; y++)
        {
            for (var x = 10; x < 26; x++)
            {
                inside += bitmap.GetPixel(x, y).Red < 128 ? 1 : 0;
            }
        }
        Assert.InRange(inside, 10, 200);
    }

    [Fact]
    public void Ordinary_names_and_places_have_nothing_unprintable()
    {
        Assert.Empty(PrintableText.Unprintable("欧阳明日 43010119900101124X 湖南考区"));
        Assert.Empty(PrintableDocuments.Unprintable(Data("欧阳明日")));
    }

    [Theory]
    [InlineData("𠀾𡃁", "𠀾*")] // the first character is a surrogate pair: kept whole, never half of it
    [InlineData("王𠀾𡃁", "王**")]
    [InlineData("欧阳明日", "欧***")]
    [InlineData("𠀾", "𠀾")]
    public void The_verification_masks_names_by_character(string name, string masked) =>
        Assert.Equal(masked, DocumentsApi.MaskName(name));
}
