using System.Text;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>Format detection by bytes, pixel budget, truncated/corrupt/polyglot refusal.</summary>
public class AdmissionTests
{
    private static byte[] SmallJpeg() => TestImages.PortraitJpeg(160, 220, TestImages.White);

    private static byte[] SmallPng()
    {
        using var image = TestImages.FromPixels(TestImages.PortraitPixels(160, 220, TestImages.White), 160, 220, 3);
        return image.ToPng();
    }

    private static Image Admit(ReadOnlySpan<byte> data, ImageLoadOptions? options = null) => UntrustedImage.Load(data, options, out _);

    private static ImageFormat AdmittedFormat(ReadOnlySpan<byte> data)
    {
        using var image = UntrustedImage.Load(data, null, out var header);
        return header.Format;
    }

    [Fact]
    public void Detects_formats_by_magic_bytes()
    {
        using var image = TestImages.Solid(16, 16, 200, 10, 10);
        Assert.Equal(ImageFormat.Jpeg, ImageFormatDetector.Detect(image.ToJpeg()));
        Assert.Equal(ImageFormat.Png, ImageFormatDetector.Detect(image.ToPng()));
        Assert.Equal(ImageFormat.WebP, ImageFormatDetector.Detect(image.ToWebp()));
        Assert.Equal(ImageFormat.Heif, ImageFormatDetector.Detect(image.ToHeic()));
        Assert.Equal(ImageFormat.Heif, ImageFormatDetector.Detect(image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1)));
        Assert.Equal(ImageFormat.Unknown, ImageFormatDetector.Detect("hello, I am a text file\n"u8));
        Assert.Equal(ImageFormat.Unknown, ImageFormatDetector.Detect([]));
        Assert.Equal(ImageFormat.Unknown, ImageFormatDetector.Detect("GIF89a"u8));
    }

    [Fact]
    public void Png_bytes_are_a_png_whatever_the_name_and_can_be_refused_where_only_jpeg_is_allowed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"candidate-photo-{Guid.NewGuid():N}.jpg"); // the name says jpg...
        File.WriteAllBytes(path, SmallPng());
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        Assert.Equal(ImageFormat.Png, AdmittedFormat(bytes)); // ...the bytes say PNG

        var e = Assert.Throws<ImageFormatException>(() => Admit(bytes, new ImageLoadOptions { AllowedFormats = [ImageFormat.Jpeg] }));
        Assert.Equal(ImageFormatProblem.FormatNotAllowed, e.Problem);
        Assert.Equal(ImageFormat.Png, e.Format);
    }

    [Fact]
    public void Text_file_is_refused_as_unknown_format()
    {
        var e = Assert.Throws<ImageFormatException>(() => Admit(Encoding.UTF8.GetBytes("报名材料.jpg is really text")));
        Assert.Equal(ImageFormatProblem.UnknownFormat, e.Problem);
        Assert.Throws<ImageFormatException>(() => Admit([]));
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.6)]
    [InlineData(0.1)]
    [InlineData(0.001)]
    public void Truncated_jpeg_is_refused(double keep)
    {
        var jpeg = SmallJpeg();
        var cut = jpeg[..Math.Max(3, (int)(jpeg.Length * keep))];
        var e = Assert.Throws<ImageFormatException>(() => Admit(cut));
        Assert.Equal(ImageFormatProblem.Truncated, e.Problem);
    }

    [Fact]
    public void Truncated_png_is_refused()
    {
        var png = SmallPng();
        var e = Assert.Throws<ImageFormatException>(() => Admit(png.AsSpan(0, png.Length / 2)));
        Assert.Equal(ImageFormatProblem.Truncated, e.Problem);
    }

    [Fact]
    public void Cut_jpeg_with_forged_end_marker_is_refused_by_the_decoder_at_fail_on_warning()
    {
        var jpeg = TestData.Read("exif-orientation/Landscape_1.jpg");
        byte[] forged = [.. jpeg.AsSpan(0, jpeg.Length * 6 / 10), 0xFF, 0xD9];
        Assert.True(ImageFormatDetector.Inspect(forged).IsAcceptable); // structurally complete
        using var loaded = Admit(forged, new ImageLoadOptions { FailOn = Enums.FailOn.Warning });
        var e = Assert.Throws<CorruptImageException>(() => DecodedPixels.From(loaded));
        Assert.Contains("premature end", e.VipsError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Corrupt_entropy_data_is_refused_at_fail_on_warning()
    {
        // Standard Huffman tables, as cameras write them: damaged data then hits codes that do not exist, which
        // libjpeg reports as a warning. (With optimised tables every bit pattern can be a valid code, and
        // libjpeg-turbo decodes such damage to noise without a word: no decoder setting can catch that.)
        using var portrait = TestImages.FromPixels(TestImages.PortraitPixels(160, 220, TestImages.White), 160, 220, 3);
        var jpeg = portrait.JpegsaveBuffer(q: 92);
        var corrupt = (byte[])jpeg.Clone();
        var start = TestData.ScanDataOffset(jpeg);
        for (var i = start + 50; i < corrupt.Length - 10; i += 7)
        {
            if (corrupt[i] != 0xFF && corrupt[i - 1] != 0xFF && (corrupt[i] ^ 0x5A) != 0xFF)
            {
                corrupt[i] ^= 0x5A;
            }
        }

        using var loaded = Admit(corrupt, new ImageLoadOptions { FailOn = Enums.FailOn.Warning });
        Assert.Throws<CorruptImageException>(() => DecodedPixels.From(loaded));
    }

    [Fact]
    public void Decompression_bomb_is_refused_from_the_header_before_decoding()
    {
        var bomb = TestData.PngBomb(30000, 30000);
        Assert.True(bomb.Length < 1000, $"the bomb is tiny ({bomb.Length} bytes)");
        var highWater = VipsRuntime.TrackedMemoryHighWaterBytes;

        var e = Assert.Throws<PixelBudgetExceededException>(() => Admit(bomb));
        Assert.Equal(30000, e.Width);
        Assert.Equal(30000, e.Height);
        Assert.Equal(40_000_000, e.MaxPixels);

        // No pixel memory was allocated for it (900 MB if it had been decoded).
        Assert.True(VipsRuntime.TrackedMemoryHighWaterBytes - highWater < 100L * 1024 * 1024);
    }

    [Fact]
    public void Pixel_budget_is_configurable()
    {
        var jpeg = SmallJpeg(); // 160 x 220 = 35 200 px
        Assert.Throws<PixelBudgetExceededException>(() => Admit(jpeg, new ImageLoadOptions { MaxPixels = 35_199 }));
        using var ok = Admit(jpeg, new ImageLoadOptions { MaxPixels = 35_200 });
        Assert.Equal(160, ok.Width);
    }

    [Fact]
    public void Jpeg_with_forged_huge_dimensions_is_refused_by_budget()
    {
        var jpeg = SmallJpeg();
        var sof = JpegSegments.ReadHeader(jpeg).First(s => s.Marker == 0xC0);
        var forged = (byte[])jpeg.Clone();
        // SOF0 payload: precision(1) height(2) width(2)
        forged[sof.PayloadOffset + 1] = 0x75;
        forged[sof.PayloadOffset + 2] = 0x30; // 30000
        forged[sof.PayloadOffset + 3] = 0x75;
        forged[sof.PayloadOffset + 4] = 0x30;
        var e = Assert.Throws<PixelBudgetExceededException>(() => Admit(forged));
        Assert.Equal((30000, 30000), (e.Width, e.Height));
    }

    [Fact]
    public void Image_followed_by_a_zip_is_a_polyglot_and_refused()
    {
        var jpeg = SmallJpeg();
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, .. "evil.jsp"u8, .. new byte[64]];
        var e = Assert.Throws<ImageFormatException>(() => Admit([.. jpeg, .. zip]));
        Assert.Equal(ImageFormatProblem.TrailingData, e.Problem);

        var png = SmallPng();
        e = Assert.Throws<ImageFormatException>(() => Admit([.. png, .. zip]));
        Assert.Equal(ImageFormatProblem.TrailingData, e.Problem);

        // Where the original is discarded after re-encoding, trailing data may be tolerated explicitly.
        using var tolerated = Admit([.. jpeg, .. zip], new ImageLoadOptions { AllowTrailingData = true });
        Assert.Equal(160, tolerated.Width);
    }

    [Fact]
    public void Zero_padding_after_the_image_is_not_a_polyglot()
    {
        var jpeg = SmallJpeg();
        using var padded = Admit([.. jpeg, .. new byte[100]]);
        Assert.Equal(220, padded.Height);
    }

    [Fact]
    public void Html_hidden_in_a_jpeg_comment_or_png_text_chunk_is_refused()
    {
        var jpeg = JpegSegments.InsertComment(SmallJpeg(), "<script>alert(document.cookie)</script>");
        var e = Assert.Throws<ImageFormatException>(() => Admit(jpeg));
        Assert.Equal(ImageFormatProblem.EmbeddedMarkup, e.Problem);

        var png = TestData.InsertPngChunk(SmallPng(), "tEXt", "Comment\0<HTML><body onload=x()>"u8);
        e = Assert.Throws<ImageFormatException>(() => Admit(png));
        Assert.Equal(ImageFormatProblem.EmbeddedMarkup, e.Problem);

        // Harmless text is fine.
        using var ok = Admit(JpegSegments.InsertComment(SmallJpeg(), "scanned by phone"));
        Assert.Equal(160, ok.Width);
    }

    [Fact]
    public void Loaders_other_than_jpeg_png_webp_heif_are_blocked_inside_libvips()
    {
        VipsRuntime.Initialise(); // RestrictLoaders is on by default
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];
        var e = Assert.ThrowsAny<VipsException>(() =>
        {
            using var image = Image.GifloadBuffer(gif);
            _ = image.Avg();
        });
        Assert.Contains("blocked", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.ThrowsAny<VipsException>(() => Image.NewFromBuffer(gif)); // sniffing skips blocked loaders too
    }

    [Fact]
    public void Mutated_files_never_crash_only_typed_exceptions()
    {
        var sources = new[] { SmallJpeg(), SmallPng() };
        var rnd = new Random(42);
        var refused = 0;
        for (var round = 0; round < 300; round++)
        {
            var source = sources[round % 2];
            var bytes = (byte[])source.Clone();
            var flips = 1 + rnd.Next(20);
            for (var f = 0; f < flips; f++)
            {
                bytes[rnd.Next(bytes.Length)] = (byte)rnd.Next(256);
            }

            if (round % 5 == 0)
            {
                bytes = bytes[..rnd.Next(bytes.Length)];
            }

            try
            {
                using var image = Admit(bytes, new ImageLoadOptions { FailOn = Enums.FailOn.Warning, MaxPixels = 10_000_000 });
                using var decoded = DecodedPixels.From(image);
                _ = decoded.Pixels.Length;
            }
            catch (ImagingException)
            {
                refused++;
            }
        }

        Assert.True(refused > 100, $"most mutations should be refused, {refused} were");
    }
}
