using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

public class DocumentInspectorTests
{
    private static readonly DocumentInspector Inspector = new(new DocumentOptions());

    private static string[] Codes(DocumentInspection result) => result.Findings.Select(f => f.Code).ToArray();

    /// <summary>A sparse certificate-like page: a few lines on paper, small enough to upload as is.</summary>
    private static byte[] CertificateJpeg(int width = 1000, int height = 1400, double blur = 0)
    {
        using var text = Image.Text("医师资格考试 毕业证书\n姓名 张三  证书编号 104321202305001234\n临床医学专业 五年制本科", font: $"WenQuanYi Micro Hei {width / 30}px");
        using var ink = text.Linear([-0.9], [245.0], uchar: true);
        using var page = ink.Embed(width / 8, height / 4, width, height, extend: Enums.Extend.Background, background: [245]);
        using var colour = page.Colourspace(Enums.Interpretation.Srgb);
        if (blur <= 0)
        {
            return colour.ToJpeg(85);
        }

        using var blurred = colour.Gaussblur(blur);
        return blurred.ToJpeg(85);
    }

    [Fact]
    public void Clear_document_under_200KB_passes()
    {
        var jpeg = CertificateJpeg();
        Assert.True(jpeg.Length <= 200 * 1024);
        var result = Inspector.Inspect(jpeg);
        Assert.True(result.Passed, string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Measured}")));
        Assert.Equal(ImageFormat.Jpeg, result.Format);
        Assert.Equal((1000, 1400), (result.Width, result.Height));
        Assert.True(result.Sharpness > 60);
    }

    [Fact]
    public void Png_document_passes_by_its_bytes()
    {
        using var image = Image.NewFromBuffer(CertificateJpeg());
        var png = image.ToPng(9);
        var result = Inspector.Inspect(png);
        Assert.Equal(ImageFormat.Png, result.Format);
        Assert.True(result.Passed, string.Join("; ", Codes(result)));
    }

    [Fact]
    public void File_over_200KB_is_too_large()
    {
        var jpeg = TestImages.DocumentJpeg(1240, 1754);
        Assert.True(jpeg.Length > 200 * 1024);
        var result = Inspector.Inspect(jpeg);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.DocTooLarge, finding.Code);
        Assert.Equal("≤ 204800 B", finding.Threshold);
        Assert.Equal($"{jpeg.Length} B", finding.Measured);
    }

    [Fact]
    public void File_over_200KB_passes_under_the_limit_its_area_accepted_it_under()
    {
        // An exam area may raise maxImageBytes (MaterialStorage's area settings); the upload message carries that limit,
        // and a file the area let in must not fail afterwards for its size. Above the area's limit it still fails, by that limit.
        var jpeg = TestImages.DocumentJpeg(1240, 1754);
        Assert.True(jpeg.Length > 200 * 1024);
        var pipeline = new DocumentPipeline(new DocumentOptions(), new WatermarkOptions());

        var raised = pipeline.Process(jpeg, "2025110105000123", maxFileBytes: 2 * 1024 * 1024);
        Assert.DoesNotContain(FindingCodes.DocTooLarge, raised.Inspection.Findings.Select(f => f.Code));
        Assert.NotNull(raised.WatermarkedJpeg);

        var national = pipeline.Process(jpeg, "2025110105000123");
        Assert.Contains(FindingCodes.DocTooLarge, national.Inspection.Findings.Select(f => f.Code));

        var tight = pipeline.Process(jpeg, "2025110105000123", maxFileBytes: jpeg.Length - 1);
        var tooLarge = Assert.Single(tight.Inspection.Findings, f => f.Code == FindingCodes.DocTooLarge);
        Assert.Equal($"≤ {jpeg.Length - 1} B", tooLarge.Threshold);
        Assert.Contains($"{(jpeg.Length - 1) / 1024}KB", tooLarge.MessageZh);
    }

    [Fact]
    public void Blank_page_is_reported()
    {
        var px = new byte[900 * 1200 * 3];
        var rnd = new Random(5);
        for (var i = 0; i < px.Length; i++)
        {
            px[i] = (byte)(240 + rnd.Next(6)); // paper with sensor noise
        }

        using var page = TestImages.FromPixels(px, 900, 1200, 3);
        var result = Inspector.Inspect(page.ToJpeg(60));
        Assert.Equal([FindingCodes.DocBlank], Codes(result));
        Assert.Equal(0, result.ContentFraction, 3);
    }

    [Fact]
    public void One_line_on_a_large_page_is_not_blank()
    {
        using var text = Image.Text("证书编号 104321202305001234", font: "WenQuanYi Micro Hei 30px");
        using var ink = text.Linear([-0.9], [245.0], uchar: true);
        using var page = ink.Embed(200, 600, 1200, 1600, extend: Enums.Extend.Background, background: [245]);
        var result = Inspector.Inspect(page.ToJpeg());
        Assert.True(result.Passed, string.Join("; ", Codes(result)));
    }

    [Fact]
    public void Low_resolution_is_reported()
    {
        var result = Inspector.Inspect(CertificateJpeg(420, 560));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.DocLowResolution, finding.Code);
        Assert.Equal("420x560", finding.Measured);
    }

    [Fact]
    public void Blurred_document_is_reported()
    {
        var result = Inspector.Inspect(CertificateJpeg(blur: 4));
        Assert.Equal([FindingCodes.DocBlurred], Codes(result));
        Assert.True(result.Sharpness < 60);
    }

    [Fact]
    public void Exif_rotated_document_is_reported()
    {
        var tagged = TestData.WithExifOrientation(CertificateJpeg(), 6);
        var result = Inspector.Inspect(tagged);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.DocOrientation, finding.Code);
        Assert.Equal("6", finding.Measured);
        Assert.Equal(6, result.Orientation);

        var sample = Inspector.Inspect(TestData.Read("exif-orientation/Portrait_3.jpg"));
        Assert.Contains(FindingCodes.DocOrientation, Codes(sample));
        Assert.Contains(FindingCodes.DocTooLarge, Codes(sample));
    }

    [Fact]
    public void Webp_heif_and_text_are_not_allowed_formats()
    {
        using var image = Image.NewFromBuffer(CertificateJpeg());
        Assert.Equal([FindingCodes.DocFormat], Codes(Inspector.Inspect(image.ToWebp())));
        Assert.Equal([FindingCodes.DocFormat], Codes(Inspector.Inspect(image.ToHeic())));
        Assert.Equal([FindingCodes.DocFormat], Codes(Inspector.Inspect("%PDF-1.7 not an image"u8)));
    }

    [Fact]
    public void Truncated_corrupt_and_polyglot_uploads_are_reported()
    {
        var jpeg = CertificateJpeg();
        Assert.Equal([FindingCodes.DocUnreadable], Codes(Inspector.Inspect(jpeg.AsSpan(0, jpeg.Length - 100))));
        Assert.Equal([FindingCodes.DocPolyglot], Codes(Inspector.Inspect([.. jpeg, .. "<?php system($_GET['c']); ?>"u8])));
        Assert.Equal([FindingCodes.DocPolyglot], Codes(Inspector.Inspect(JpegSegments.InsertComment(jpeg, "<script src=//x></script>"))));
        Assert.Equal([FindingCodes.DocTooManyPixels], Codes(Inspector.Inspect(TestData.PngBomb(30000, 30000))));
    }
}
