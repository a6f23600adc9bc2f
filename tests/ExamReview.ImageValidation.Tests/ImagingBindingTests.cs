using ExamReview.Imaging;
using ExamReview.PassMarks;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

public class ImagingBindingTests
{
    [Fact]
    public void Reports_libvips_8_version()
    {
        Assert.StartsWith("8.", VipsRuntime.Version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colourspace", "space", "srgb", (int)Interpretation.Srgb)]
    [InlineData("colourspace", "space", "b-w", (int)Interpretation.BW)]
    [InlineData("colourspace", "space", "lch", (int)Interpretation.Lch)]
    [InlineData("colourspace", "space", "cmyk", (int)Interpretation.Cmyk)]
    [InlineData("cast", "format", "uchar", (int)BandFormat.UChar)]
    [InlineData("cast", "format", "float", (int)BandFormat.Float)]
    [InlineData("cast", "format", "double", (int)BandFormat.Double)]
    [InlineData("jpegload_buffer", "fail-on", "truncated", (int)FailOn.Truncated)]
    [InlineData("jpegload_buffer", "fail-on", "warning", (int)FailOn.Warning)]
    [InlineData("jpegload_buffer", "access", "sequential", (int)Access.Sequential)]
    [InlineData("composite2", "mode", "over", (int)BlendMode.Over)]
    [InlineData("embed", "extend", "background", (int)Extend.Background)]
    [InlineData("thumbnail_image", "size", "down", (int)ThumbnailSize.Down)]
    [InlineData("thumbnail_image", "crop", "centre", (int)Interesting.Centre)]
    [InlineData("resize", "kernel", "lanczos3", (int)Kernel.Lanczos3)]
    [InlineData("conv", "precision", "float", (int)Precision.Float)]
    public void Enum_values_match_libvips(string operation, string argument, string nick, int ours)
    {
        Assert.Equal(VipsCall.EnumValue(operation, argument, nick), ours);
    }

    [Fact]
    public void Reads_header_without_decoding()
    {
        var jpeg = TestImages.PortraitJpeg(300, 420, TestImages.White);
        using var image = VipsImage.LoadFromBuffer(jpeg);
        Assert.Equal(300, image.Width);
        Assert.Equal(420, image.Height);
        Assert.Equal(3, image.Bands);
        Assert.Equal(BandFormat.UChar, image.Format);
        Assert.Equal(Interpretation.Srgb, image.Interpretation);
        Assert.False(image.HasAlpha);
        Assert.Equal(1, image.Orientation);
        Assert.Equal(ImageFormat.Jpeg, image.SourceFormat);
    }

    [Fact]
    public void Pixels_round_trip_through_memory_and_png()
    {
        var px = new byte[4 * 3 * 4];
        for (var i = 0; i < px.Length; i++)
        {
            px[i] = (byte)(i * 5);
        }

        using var image = VipsImage.FromPixels(px, 4, 3, 4);
        Assert.True(image.HasAlpha);
        var png = image.ToPng();
        using var loaded = VipsImage.LoadFromBuffer(png);
        Assert.Equal(ImageFormat.Png, loaded.SourceFormat);
        Assert.True(loaded.HasAlpha);
        Assert.Equal(px, loaded.ToPixelBytes());
    }

    [Fact]
    public void Statistics_average_and_deviation_are_exact_on_known_pixels()
    {
        using var solid = TestImages.Solid(20, 10, 10, 200, 30);
        var stats = solid.Statistics();
        Assert.Equal(3, stats.Bands.Count);
        Assert.Equal(10, stats.Bands[0].Mean, 6);
        Assert.Equal(200, stats.Bands[1].Mean, 6);
        Assert.Equal(30, stats.Bands[2].Mean, 6);
        Assert.Equal(0, stats.Bands[1].Deviation, 6);
        Assert.Equal(80, solid.Average(), 6);
        Assert.Equal(10, stats.All.Min, 6);
        Assert.Equal(200, stats.All.Max, 6);

        // half 0, half 200 → mean 100, population deviation 100 (libvips uses n-1: slightly above)
        var half = new byte[100];
        Array.Fill(half, (byte)200, 50, 50);
        using var split = VipsImage.FromPixels(half, 10, 10, 1);
        Assert.Equal(100, split.Average(), 6);
        Assert.InRange(split.Deviation(), 100, 101);
    }

    [Fact]
    public void Laplacian_convolution_sees_edges_and_blur_removes_them()
    {
        using var sharp = VipsImage.FromPixels(TestImages.PortraitPixels(200, 280, TestImages.White), 200, 280, 3);
        using var blurred = sharp.GaussianBlur(3);
        using var mask = VipsImage.Matrix(3, 3, [0, 1, 0, 1, -4, 1, 0, 1, 0]);
        using var greySharp = sharp.Colourspace(Interpretation.BW);
        using var greyBlurred = blurred.Colourspace(Interpretation.BW);
        using var lapSharp = greySharp.Convolve(mask);
        using var lapBlurred = greyBlurred.Convolve(mask);
        Assert.Equal(BandFormat.Float, lapSharp.Format);
        Assert.True(lapSharp.Deviation() > 5 * lapBlurred.Deviation());
    }

    [Fact]
    public void Geometry_operations_produce_expected_sizes()
    {
        using var image = TestImages.Solid(100, 80, 255, 255, 255);
        using (var crop = image.ExtractArea(10, 20, 30, 40))
        {
            Assert.Equal((30, 40), (crop.Width, crop.Height));
        }

        using (var half = image.Resize(0.5))
        {
            Assert.Equal((50, 40), (half.Width, half.Height));
        }

        using (var thumb = image.Thumbnail(50, 50))
        {
            Assert.Equal((50, 40), (thumb.Width, thumb.Height));
        }

        using (var notEnlarged = image.Thumbnail(400, 400, ThumbnailSize.Down))
        {
            Assert.Equal((100, 80), (notEnlarged.Width, notEnlarged.Height));
        }

        using (var embedded = image.Embed(5, 5, 110, 90, Extend.Background, [0, 0, 0]))
        {
            Assert.Equal((110, 90), (embedded.Width, embedded.Height));
            using var corner = embedded.ExtractArea(0, 0, 5, 5);
            Assert.Equal(0, corner.Average());
        }

        using (var tiled = image.Replicate(3, 2))
        {
            Assert.Equal((300, 160), (tiled.Width, tiled.Height));
        }

        using (var rotated = image.Rotate(90))
        {
            Assert.Equal((80, 100), (rotated.Width, rotated.Height));
        }

        using var grey = image.Colourspace(Interpretation.BW);
        Assert.Equal(1, grey.Bands);
    }

    [Fact]
    public void Renders_cjk_text_and_composites_a_translucent_layer()
    {
        using var mask = VipsImage.Text("仅供医师资格考试报名审核使用", new TextOptions { Font = "WenQuanYi Micro Hei 20px" });
        Assert.Equal(1, mask.Bands);
        Assert.True(mask.Width > 200, $"14 CJK glyphs at 20 px should be wide, got {mask.Width}");
        Assert.True(mask.Average() > 10, "glyphs must have ink (a missing CJK font renders empty boxes or nothing)");

        using var rgba = VipsImage.Text("审核 <b>&amp;", new TextOptions { Font = "WenQuanYi Micro Hei 20px", Rgba = true, Colour = (255, 0, 0) });
        Assert.Equal(4, rgba.Bands);

        using var faded = rgba.Linear([1, 1, 1, 0.5], [0, 0, 0, 0], toUChar: true);
        using var background = TestImages.Solid(rgba.Width, rgba.Height, 255, 255, 255);
        using var composed = background.Composite(faded);
        Assert.Equal(4, composed.Bands);
        using var flat = composed.Flatten();
        Assert.Equal(3, flat.Bands);
        var stats = flat.Statistics();
        Assert.True(stats.Bands[1].Min < 200, "red text lowers green somewhere");
        Assert.Equal(255, stats.Bands[0].Max, 0);
    }

    [Fact]
    public void Encoders_produce_each_format_and_jpeg_quality_changes_size()
    {
        using var image = VipsImage.FromPixels(TestImages.PortraitPixels(200, 280, TestImages.White), 200, 280, 3);
        var q90 = image.ToJpeg(new JpegSaveOptions { Quality = 90 });
        var q40 = image.ToJpeg(new JpegSaveOptions { Quality = 40 });
        var progressive = image.ToJpeg(new JpegSaveOptions { Quality = 90, Interlace = true });
        Assert.True(q40.Length < q90.Length);
        Assert.Contains(JpegSegments.ReadHeader(progressive), s => s.Marker == 0xC2);
        Assert.Equal(ImageFormat.Jpeg, ImageFormatDetector.Detect(q90));
        Assert.Equal(ImageFormat.Png, ImageFormatDetector.Detect(image.ToPng()));
        Assert.Equal(ImageFormat.WebP, ImageFormatDetector.Detect(image.ToWebp()));
        var heif = image.ToHeif();
        Assert.Equal(ImageFormat.Heif, ImageFormatDetector.Detect(heif));
        using var heifLoaded = VipsImage.LoadFromBuffer(heif);
        using var heifDecoded = heifLoaded.Decode();
        Assert.Equal((200, 280), (heifDecoded.Width, heifDecoded.Height));
    }

    [Fact]
    public void Jpeg_comment_and_app_segments_are_inserted_without_breaking_the_file()
    {
        using var image = VipsImage.FromPixels(TestImages.PortraitPixels(100, 140, TestImages.White), 100, 140, 3);
        var jpeg = image.ToJpeg();
        var withComment = JpegSegments.InsertComment(jpeg, "审核 ok");
        Assert.Equal("审核 ok", JpegSegments.ReadComment(withComment));

        var withApp = JpegSegments.Insert(withComment, JpegSegments.App11, "hello"u8);
        var header = JpegSegments.ReadHeader(withApp);
        var app = header.Single(s => s.Marker == JpegSegments.App11);
        Assert.Equal(2, app.Offset); // libvips writes no JFIF APP0: the segment goes right after SOI

        // In a JFIF file the APP0 segment stays first, as JFIF requires.
        var jfif = TestData.Read("exif-orientation/Landscape_0.jpg");
        Assert.Equal(0xE0, JpegSegments.ReadHeader(jfif)[0].Marker);
        var jfifWithApp = JpegSegments.ReadHeader(JpegSegments.Insert(jfif, JpegSegments.App11, "x"u8));
        Assert.Equal(0xE0, jfifWithApp[0].Marker);
        Assert.Equal(JpegSegments.App11, jfifWithApp[1].Marker);
        Assert.Equal("hello"u8.ToArray(), withApp.AsSpan(app.PayloadOffset, app.PayloadLength).ToArray());

        using var decoded = VipsImage.LoadFromBuffer(withApp, new ImageLoadOptions { FailOn = FailOn.Warning });
        using var pixels = decoded.Decode();
        using var original = VipsImage.LoadFromBuffer(jpeg);
        Assert.Equal(original.ToPixelBytes(), pixels.ToPixelBytes());

        Assert.Equal(withComment, JpegSegments.Remove(withApp, app));
    }

    [Fact]
    public void Libvips_failures_become_VipsException_with_libvips_text()
    {
        using var image = TestImages.Solid(10, 10, 1, 2, 3);
        var e = Assert.Throws<VipsException>(() => image.ExtractArea(5, 5, 50, 50));
        Assert.Equal("extract_area", e.Operation);
        Assert.Contains("extract_area", e.VipsError, StringComparison.Ordinal);

        // The buffer was cleared: the next failure does not repeat the previous text.
        var second = Assert.Throws<VipsException>(() => image.Embed(0, 0, -1, -1));
        Assert.DoesNotContain("extract_area", second.VipsError, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_argument_is_a_typed_error_not_a_glib_critical()
    {
        using var call = new VipsCall("avg");
        Assert.Throws<VipsException>(() => call.Set("no-such-argument", 1));
    }

    [Fact]
    public void Disposed_image_cannot_be_used()
    {
        var image = TestImages.Solid(4, 4, 0, 0, 0);
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => image.Width);
        Assert.Throws<ObjectDisposedException>(() => image.Average());
        image.Dispose(); // idempotent
    }

    [Fact]
    public void Concurrent_use_from_many_threads_gives_consistent_results()
    {
        var jpeg = TestImages.PortraitJpeg(240, 320, TestImages.White);
        using var shared = VipsImage.LoadFromBuffer(jpeg);
        using var sharedDecoded = shared.Decode();
        var expected = sharedDecoded.Average();
        var results = new double[400];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0)
            {
                using var own = VipsImage.LoadFromBuffer(jpeg, new ImageLoadOptions { Access = Access.Sequential });
                using var decoded = own.Decode();
                using var small = decoded.Resize(0.5);
                _ = small.ToJpeg();
                results[i] = decoded.Average();
            }
            else
            {
                // the same image object read concurrently
                using var crop = sharedDecoded.ExtractArea(0, 0, sharedDecoded.Width, sharedDecoded.Height);
                results[i] = crop.Average();
            }
        });
        Assert.All(results, r => Assert.Equal(expected, r, 9));
    }
}
