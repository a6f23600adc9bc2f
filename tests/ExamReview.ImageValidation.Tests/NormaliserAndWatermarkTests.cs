using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>A ~1.5 MB phone-style document photo, generated once for the class.</summary>
public sealed class PhonePhotoFixture
{
    public PhonePhotoFixture()
    {
        // 3000 × 4000 (12 MP) page with sensor noise at Q88: the size phones produce (≈1.5 MB).
        using var page = TestImages.DocumentPage(3000, 4000, noise: 7);
        Jpeg = page.ToJpeg(88);
    }

    public byte[] Jpeg { get; }
}

public class NormaliserTests(PhonePhotoFixture phone) : IClassFixture<PhonePhotoFixture>
{
    private static readonly Normaliser Normaliser = new(new NormaliserOptions());
    private static readonly DocumentInspector Inspector = new(new DocumentOptions());

    private static void AssertLegibleJpeg(NormalisedImage result, int maxBytes = 200 * 1024)
    {
        Assert.True(result.Succeeded, string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Measured}")));
        var jpeg = result.Jpeg!;
        Assert.True(jpeg.Length <= maxBytes, $"{jpeg.Length} B > {maxBytes} B");
        Assert.Equal(ImageFormat.Jpeg, ImageFormatDetector.Detect(jpeg));
        Assert.False(TestData.HasExif(jpeg));
        Assert.True(Math.Min(result.Width, result.Height) >= 600);
        Assert.True(Math.Max(result.Width, result.Height) <= 2000);

        // The result is what an upload should be: the inspector accepts it (size, sharpness, not blank).
        var inspection = Inspector.Inspect(jpeg);
        Assert.True(inspection.Passed, string.Join("; ", inspection.Findings.Select(f => $"{f.Code} {f.Measured}")));
    }

    [Fact]
    public void Phone_photo_of_1_5_MB_becomes_a_legible_jpeg_under_200KB()
    {
        Assert.InRange(phone.Jpeg.Length, 1_200_000, 2_600_000);
        var result = Normaliser.Normalise(phone.Jpeg);
        AssertLegibleJpeg(result);
        Assert.True(result.Quality >= 55);
    }

    [Fact]
    public void Heic_png_and_webp_inputs_are_converted()
    {
        using var page = TestImages.DocumentPage(1500, 2000, noise: 4);
        foreach (var bytes in new[] { page.ToHeic(60), page.ToPng(), page.ToWebp(85) })
        {
            AssertLegibleJpeg(Normaliser.Normalise(bytes));
        }
    }

    [Fact]
    public void Exif_rotated_phone_photo_comes_out_upright()
    {
        var source = TestData.Read("exif-orientation/Landscape_6.jpg"); // stored 1200 × 1800, tag 6
        var result = Normaliser.Normalise(source);
        AssertLegibleJpeg(result);
        Assert.Equal(1.5, (double)result.Width / result.Height, 2); // upright landscape, like the reference
        using var output = Image.NewFromBuffer(result.Jpeg!);
        Assert.Equal(1, output.Orientation());
        using var reference = Image.NewFromBuffer(TestData.Read("exif-orientation/Landscape_0.jpg"));
        using var a = output.ThumbnailImage(225, height: 150, size: Enums.Size.Force);
        using var b = reference.ThumbnailImage(225, height: 150, size: Enums.Size.Force);
        Assert.True(TestData.MeanAbsDiff(a, b) < 4);
    }

    [Fact]
    public void Impossible_target_is_refused_without_going_below_the_legibility_floor()
    {
        var tiny = new Normaliser(new NormaliserOptions { MaxOutputBytes = 20_000 });
        var result = tiny.Normalise(phone.Jpeg);
        Assert.False(result.Succeeded);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.DocTooLarge, finding.Code);
        Assert.Contains("shorter side ≥ 600", finding.Threshold, StringComparison.Ordinal);
        Assert.StartsWith("600x", finding.Measured, StringComparison.Ordinal); // stopped at the 600 px floor
    }

    [Fact]
    public void Unreadable_inputs_are_findings()
    {
        Assert.Equal(FindingCodes.DocFormat, Assert.Single(Normaliser.Normalise("hello"u8).Findings).Code);
        Assert.Equal(FindingCodes.DocUnreadable, Assert.Single(Normaliser.Normalise(phone.Jpeg.AsSpan(0, 50_000)).Findings).Code);
        Assert.Equal(FindingCodes.DocTooManyPixels, Assert.Single(Normaliser.Normalise(TestData.PngBomb(30000, 30000)).Findings).Code);
    }

    [Fact]
    public void Trailing_data_from_phones_is_tolerated_because_the_output_is_re_encoded()
    {
        using var page = TestImages.DocumentPage(1200, 1600);
        byte[] motionPhoto = [.. page.ToJpeg(), .. "ftypmp42 appended video"u8, .. new byte[5000]];
        var result = Normaliser.Normalise(motionPhoto);
        AssertLegibleJpeg(result);
        Assert.True(ImageFormatDetector.Inspect(result.Jpeg!).IsAcceptable);
    }
}

public class WatermarkerTests
{
    private static readonly Watermarker Watermarker = new(new WatermarkOptions());

    [Fact]
    public void Watermark_covers_the_image_translucently_and_keeps_its_size()
    {
        using var page = TestImages.DocumentPage(1200, 1600);
        var original = page.ToJpeg(90);
        var marked = Watermarker.Apply(original, "2025110105000123");

        Assert.NotEqual(original, marked);
        using var a = Image.NewFromBuffer(original);
        using var b = Image.NewFromBuffer(marked);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));

        // Every cell of a 4 × 4 grid is touched (tiled, so cropping cannot remove it)...
        for (var gy = 0; gy < 4; gy++)
        {
            for (var gx = 0; gx < 4; gx++)
            {
                using var ca = a.ExtractArea(gx * 300, gy * 400, 300, 400);
                using var cb = b.ExtractArea(gx * 300, gy * 400, 300, 400);
                var diff = TestData.MeanAbsDiff(ca, cb);
                Assert.True(diff > 0.5, $"cell {gx},{gy} unchanged ({diff:F2})");
            }
        }

        // ...yet translucent: the document stays readable.
        Assert.True(TestData.MeanAbsDiff(a, b) < 25);

        // The mark is red: red channel untouched where green/blue dropped.
        using var plain = TestImages.Solid(800, 600, 255, 255, 255);
        using var markedPlain = Image.NewFromBuffer(Watermarker.Apply(plain.ToJpeg(95), "X1"));
        using var green = markedPlain.ExtractBand(1);
        Assert.True(green.Min() < 200);
        Assert.True(markedPlain.BandMean(0) > markedPlain.BandMean(1));
    }

    [Fact]
    public void Watermarked_copy_is_upright_and_stripped_of_exif()
    {
        var source = TestData.Read("exif-orientation/Portrait_8.jpg");
        Assert.True(TestData.HasExif(source));
        var marked = Watermarker.Apply(source, "2025110105000123");

        Assert.False(TestData.HasExif(marked));
        Assert.DoesNotContain(JpegSegments.ReadHeader(marked), s => s.Marker is 0xE1 or 0xE2 or 0xED);
        using var image = Image.NewFromBuffer(marked);
        Assert.Equal((1200, 1800), (image.Width, image.Height));
        Assert.Equal(1, image.Orientation());
    }

    [Fact]
    public void Registration_number_cannot_inject_markup()
    {
        using var page = TestImages.Solid(640, 480, 250, 250, 250);
        var marked = Watermarker.Apply(page.ToJpeg(), "<span size='100000'>&bad;</span>");
        Assert.Equal(ImageFormat.Jpeg, ImageFormatDetector.Detect(marked));
        Assert.Equal("仅供医师资格考试报名审核使用 A1", Watermarker.TextFor("A1"));
    }

    [Fact]
    public void Png_with_alpha_is_flattened_onto_white()
    {
        var px = new byte[300 * 200 * 4]; // fully transparent
        using var transparent = TestImages.FromPixels(px, 300, 200, 4);
        var marked = Watermarker.Apply(transparent.ToPng(), "A1");
        using var image = Image.NewFromBuffer(marked);
        Assert.Equal(3, image.Bands);
        Assert.True(image.Avg() > 200, "transparent areas become white, not black");
    }

    [Theory]
    [InlineData(97, 61, 53, 29)] // neither the image nor the tile a multiple of 16 wide
    [InlineData(64, 16, 16, 16)]
    [InlineData(5, 3, 40, 7)] // narrower than one SIMD block
    public void Blend_gives_exactly_the_8_bit_blend_for_every_sample(int width, int height, int tileWidth, int tileHeight)
    {
        var random = new Random(width * 31 + tileWidth);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        var alpha = new byte[tileWidth * tileHeight];
        random.NextBytes(alpha);
        for (var i = 0; i < alpha.Length; i++)
        {
            alpha[i] = random.Next(3) == 0 ? (byte)0 : alpha[i]; // transparent stretches, as text leaves
        }

        alpha.AsSpan(0, Math.Min(alpha.Length, 40)).Clear(); // a whole transparent block
        alpha[^1] = 255;
        var ink = ((byte)200, (byte)30, (byte)90);
        var tile = new WatermarkTile(alpha, tileWidth, tileHeight);
        var expected = pixels.ToArray();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                int a = alpha[(((y + (tileHeight / 3)) % tileHeight) * tileWidth) + ((x + (tileWidth / 3)) % tileWidth)], p = ((y * width) + x) * 3;
                expected[p] = (byte)(((a * ink.Item1) + ((255 - a) * expected[p]) + 128) / 255);
                expected[p + 1] = (byte)(((a * ink.Item2) + ((255 - a) * expected[p + 1]) + 128) / 255);
                expected[p + 2] = (byte)(((a * ink.Item3) + ((255 - a) * expected[p + 2]) + 128) / 255);
            }
        }

        Watermarker.Blend(pixels, width, height, tile, ink);

        Assert.Equal(expected, pixels);
    }

    [Theory]
    [InlineData(120, 14, 30.0)]
    [InlineData(331, 27, 30.0)]
    [InlineData(57, 9, 45.0)]
    [InlineData(200, 20, -30.0)]
    public void Diagonal_tile_is_the_bilinear_sampling_of_the_rotated_text(int width, int height, double angle)
    {
        var random = new Random(width + height);
        var coverage = new byte[width * height];
        random.NextBytes(coverage);
        coverage[0] = 255; // ink on the edges, where the taps fall outside
        coverage[^1] = 255;
        var tile = Watermarker.DiagonalTile(coverage, width, height, angle, 0.3, height * 3);

        // Reference: every tile pixel sampled bilinearly, the text read as 0 outside its bounds; the copy half a
        // tile along shows where the first is empty.
        var theta = angle * Math.PI / 180;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        var first = new byte[tile.Width * tile.Height];
        for (var y = 0; y < tile.Height; y++)
        {
            for (var x = 0; x < tile.Width; x++)
            {
                double px = x + 0.5 - (tile.Width / 2.0), py = y + 0.5 - (tile.Height / 2.0);
                double u = (px * cos) + (py * sin) + (width / 2.0) - 0.5, v = (py * cos) - (px * sin) + (height / 2.0) - 0.5;
                int x0 = (int)Math.Floor(u), y0 = (int)Math.Floor(v);
                double fx = u - x0, fy = v - y0;
                var top = (At(x0, y0) * (1 - fx)) + (At(x0 + 1, y0) * fx);
                var bottom = (At(x0, y0 + 1) * (1 - fx)) + (At(x0 + 1, y0 + 1) * fx);
                first[(y * tile.Width) + x] = (byte)Math.Round(((top * (1 - fy)) + (bottom * fy)) * 0.3);
            }
        }

        for (var y = 0; y < tile.Height; y++)
        {
            for (var x = 0; x < tile.Width; x++)
            {
                var own = first[(y * tile.Width) + x];
                var shifted = first[(y * tile.Width) + ((x - (tile.Width / 2) + tile.Width) % tile.Width)];
                Assert.Equal(own != 0 ? own : shifted, tile.Alpha[(y * tile.Width) + x]);
            }
        }

        double At(int x, int y) => (uint)x >= (uint)width || (uint)y >= (uint)height ? 0 : coverage[(y * width) + x];
    }
}
