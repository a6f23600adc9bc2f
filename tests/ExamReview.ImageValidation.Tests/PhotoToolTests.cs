using System.Security.Cryptography;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

public class PhotoToolTests
{
    private static readonly PassMark Mark = new(new PassMarkKeyRing(new PassMarkKey("photo-test", RandomNumberGenerator.GetBytes(32))));

    private static PhotoTool Tool(PhotoOptions? options = null) => new(options ?? new PhotoOptions(), Mark);

    private static string[] Codes(PhotoResult result) => result.Findings.Select(f => f.Code).ToArray();

    private static void AssertCompliant(PhotoResult result, PhotoOptions? options = null)
    {
        options ??= new PhotoOptions();
        Assert.True(result.Passed, "expected a pass, got: " + string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Measured} vs {f.Threshold}")));
        var jpeg = result.Jpeg!;
        Assert.True(jpeg.Length < options.MaxFileBytes, $"output {jpeg.Length} B must be < {options.MaxFileBytes}");
        Assert.Equal(ImageFormat.Jpeg, ImageFormatDetector.Detect(jpeg));
        Assert.True(ImageFormatDetector.Inspect(jpeg).IsAcceptable);
        Assert.False(TestData.HasExif(jpeg));
        Assert.True(Mark.Verify(jpeg).IsValid);

        using var image = Image.NewFromBuffer(jpeg, failOn: Enums.FailOn.Warning);
        using var decoded = image.CopyMemory();
        Assert.InRange(image.Width, options.MinWidth, options.OutputMaxWidth);
        Assert.InRange(image.Height, options.MinHeight, options.OutputMaxHeight);
        Assert.InRange((double)image.Width / image.Height, options.AspectRatio - options.AspectTolerance, options.AspectRatio + options.AspectTolerance);
        Assert.Equal(1, image.Orientation());
        Assert.Equal((image.Width, image.Height), (result.Measurements!.Width, result.Measurements.Height));
    }

    [Theory]
    [InlineData(413, 600)]
    [InlineData(800, 1160)]
    [InlineData(300, 430)]
    [InlineData(190, 276)]
    public void White_background_sharp_portrait_passes_and_fits_under_30KB(int width, int height)
    {
        var result = Tool().Process(TestImages.PortraitJpeg(width, height, TestImages.White));
        AssertCompliant(result);
        Assert.True(result.Measurements!.Quality >= 60);
    }

    [Fact]
    public void Large_photo_is_downscaled_to_the_output_box_never_enlarged()
    {
        var big = Tool().Process(TestImages.PortraitJpeg(1100, 1600, TestImages.White));
        AssertCompliant(big);
        Assert.True(big.Measurements!.Width <= 390 && big.Measurements.Height <= 567);
        Assert.True(big.Measurements.Width >= 380, "downscaled to the box, not further");

        var small = Tool().Process(TestImages.PortraitJpeg(200, 280, TestImages.White));
        AssertCompliant(small);
        Assert.Equal((200, 280), (small.Measurements!.Width, small.Measurements.Height));
    }

    [Fact]
    public void Grey_background_is_refused()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(413, 600, TestImages.Grey));
        Assert.Null(result.Jpeg);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.PhotoBackgroundNotWhite, finding.Code);
        Assert.Contains("L*", finding.Threshold, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageZh));
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageEn));
        Assert.True(result.Measurements!.BackgroundLightness < 85);
    }

    [Fact]
    public void Blue_background_is_refused_on_chroma()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(413, 600, TestImages.IdBlue));
        Assert.Equal([FindingCodes.PhotoBackgroundNotWhite], Codes(result));
        Assert.True(result.Measurements!.BackgroundChroma > 30);
    }

    [Fact]
    public void Background_with_a_dark_corner_is_not_uniform()
    {
        var px = TestImages.PortraitPixels(413, 600, TestImages.White);
        for (var y = 0; y < 120; y++)
        {
            for (var x = 0; x < 60; x++)
            {
                var i = ((y * 413) + x) * 3;
                px[i] = px[i + 1] = px[i + 2] = 90;
            }
        }

        using var image = TestImages.FromPixels(px, 413, 600, 3);
        var result = Tool().Process(image.ToJpeg(92));
        Assert.Contains(FindingCodes.PhotoBackgroundNotWhite, Codes(result));
    }

    [Fact]
    public void Blurred_photo_is_refused()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(413, 600, TestImages.White, blurSigma: 3));
        Assert.Equal([FindingCodes.PhotoBlurred], Codes(result));
        var finding = result.Findings[0];
        Assert.Equal("Laplacian variance ≥ 40", finding.Threshold);
        Assert.True(result.Measurements!.Sharpness < 40);
    }

    [Fact]
    public void Sharpness_threshold_is_configuration()
    {
        var jpeg = TestImages.PortraitJpeg(413, 600, TestImages.White, blurSigma: 3);
        var lenient = new PhotoOptions { MinSharpness = 1 };
        AssertCompliant(Tool(lenient).Process(jpeg), lenient);
    }

    [Fact]
    public void Too_small_photo_is_refused_not_enlarged()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(150, 210, TestImages.White));
        Assert.Null(result.Jpeg);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.PhotoTooSmall);
        Assert.Equal("150x210", finding.Measured);
        Assert.Equal("≥ 190x254", finding.Threshold);
    }

    [Fact]
    public void Underexposed_photo_is_too_dark()
    {
        using var image = TestImages.FromPixels(TestImages.PortraitPixels(413, 600, TestImages.White), 413, 600, 3);
        using var dark = image.Linear([0.3], [0.0], uchar: true);
        var result = Tool().Process(dark.ToJpeg(92));
        Assert.Contains(FindingCodes.PhotoTooDark, Codes(result));
        Assert.Contains(FindingCodes.PhotoBackgroundNotWhite, Codes(result)); // a white wall in the dark is grey
        Assert.True(result.Measurements!.SubjectLuminance < 60);
    }

    [Fact]
    public void Blank_white_picture_has_no_subject()
    {
        using var blank = TestImages.Solid(413, 600, 252, 252, 252);
        var result = Tool().Process(blank.ToJpeg());
        Assert.Contains(FindingCodes.PhotoTooBright, Codes(result));
    }

    [Fact]
    public void Square_photo_is_centre_cropped_to_33_by_48()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(500, 500, TestImages.White));
        AssertCompliant(result);
        Assert.True(result.Measurements!.Cropped);
        Assert.Equal(0.6875, (double)result.Measurements.Width / result.Measurements.Height, 2);
    }

    [Fact]
    public void Landscape_photo_has_wrong_proportions()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(800, 450, TestImages.White));
        Assert.Contains(FindingCodes.PhotoWrongProportions, Codes(result));
        Assert.Null(result.Jpeg);
    }

    [Fact]
    public void Exif_rotated_photo_is_made_upright()
    {
        // Store the portrait rotated 90° clockwise on its side (landscape pixels) and tag orientation 6
        // ("rotate 90° CW to display"), as a phone held sideways does.
        using var sideways = TestImages.FromPixels(TestImages.RotateAnticlockwise(TestImages.PortraitPixels(413, 600, TestImages.White), 413, 600), 600, 413, 3);
        var tagged = TestData.WithExifOrientation(sideways.ToJpeg(92), 6);
        using (var check = Image.NewFromBuffer(tagged))
        {
            Assert.Equal((600, 413, 6), (check.Width, check.Height, check.Orientation()));
        }

        var result = Tool().Process(tagged);
        AssertCompliant(result);
        Assert.Equal(6, result.Measurements!.Orientation);
        Assert.True(result.Measurements.Height > result.Measurements.Width);
        Assert.False(result.Measurements.Cropped);
    }

    public static TheoryData<string> PhoneFormats() => ["jpeg", "png", "heic", "webp", "avif"];

    /// <summary>
    /// What the official tool does for any photo a candidate has: each format is converted to the compliant JPEG,
    /// never refused for its format. HEIC is HEVC as phones write it (decoded through the system libheif); AVIF
    /// (AV1 in the same container) decodes in NetVips.Native itself.
    /// </summary>
    [Theory]
    [MemberData(nameof(PhoneFormats))]
    public void Every_phone_format_is_converted_to_the_compliant_jpeg(string format)
    {
        using var image = TestImages.FromPixels(TestImages.PortraitPixels(413, 600, TestImages.White), 413, 600, 3);
        var upload = format switch
        {
            "jpeg" => image.ToJpeg(92),
            "png" => image.ToPng(),
            "heic" => image.ToHeic(80),
            "webp" => image.ToWebp(90),
            _ => image.HeifsaveBuffer(q: 80, compression: Enums.ForeignHeifCompression.Av1),
        };

        var result = Tool().Process(upload);

        AssertCompliant(result);
        Assert.Equal((413, 600), (result.Measurements!.InputWidth, result.Measurements.InputHeight));
    }

    [Fact]
    public void A_large_phone_photo_is_shrunk_while_loading_and_still_judged_on_its_stored_size()
    {
        // 2478 × 3600 (8.9 MP): decoded at 1/2 by the JPEG decoder, then resized to the output box.
        using var image = TestImages.FromPixels(TestImages.PortraitPixels(413, 600, TestImages.White), 413, 600, 3);
        using var large = image.Resize(6);
        var result = Tool().Process(large.ToJpeg(90));

        AssertCompliant(result);
        Assert.Equal((2478, 3600), (result.Measurements!.InputWidth, result.Measurements.InputHeight));
    }

    [Fact]
    public void Text_file_is_not_a_jpeg()
    {
        var result = Tool().Process("this is my photo.jpg"u8);
        Assert.Equal([FindingCodes.PhotoNotJpeg], Codes(result));
    }

    [Fact]
    public void Truncated_or_corrupt_jpeg_is_unreadable()
    {
        var jpeg = TestImages.PortraitJpeg(413, 600, TestImages.White);
        Assert.Equal([FindingCodes.PhotoUnreadable], Codes(Tool().Process(jpeg.AsSpan(0, jpeg.Length / 2))));

        byte[] forgedEnd = [.. jpeg.AsSpan(0, jpeg.Length / 2), 0xFF, 0xD9];
        Assert.Equal([FindingCodes.PhotoUnreadable], Codes(Tool().Process(forgedEnd)));
    }

    [Fact]
    public void Polyglot_is_refused()
    {
        var jpeg = TestImages.PortraitJpeg(413, 600, TestImages.White);
        Assert.Equal([FindingCodes.PhotoPolyglot], Codes(Tool().Process([.. jpeg, .. "PK\u0003\u0004 hidden archive"u8])));
    }

    [Fact]
    public void Decompression_bomb_is_refused_from_the_header()
    {
        var jpeg = TestImages.PortraitJpeg(200, 280, TestImages.White);
        var sof = JpegSegments.ReadHeader(jpeg).First(s => s.Marker == 0xC0);
        jpeg[sof.PayloadOffset + 1] = 0x75; // height 30000
        jpeg[sof.PayloadOffset + 2] = 0x30;
        jpeg[sof.PayloadOffset + 3] = 0x75; // width 30000
        jpeg[sof.PayloadOffset + 4] = 0x30;
        var finding = Assert.Single(Tool().Process(jpeg).Findings);
        Assert.Equal(FindingCodes.PhotoTooManyPixels, finding.Code);
        Assert.Equal("30000x30000", finding.Measured);
    }

    [Fact]
    public void Photo_that_cannot_fit_the_size_limit_is_refused()
    {
        var tight = new PhotoOptions { MaxFileBytes = 2_500 };
        var result = Tool(tight).Process(TestImages.PortraitJpeg(413, 600, TestImages.White));
        Assert.Equal([FindingCodes.PhotoTooLarge], Codes(result));
        Assert.Null(result.Jpeg);
    }

    [Fact]
    public void Upload_over_the_input_limit_is_refused_before_decoding()
    {
        var result = Tool(new PhotoOptions { MaxInputBytes = 1000 }).Process(TestImages.PortraitJpeg(413, 600, TestImages.White));
        Assert.Equal([FindingCodes.PhotoInputTooLarge], Codes(result));
    }

    [Fact]
    public void Several_problems_are_reported_together()
    {
        var result = Tool().Process(TestImages.PortraitJpeg(150, 210, TestImages.IdBlue, blurSigma: 3));
        Assert.Contains(FindingCodes.PhotoTooSmall, Codes(result));
        Assert.Contains(FindingCodes.PhotoBackgroundNotWhite, Codes(result));
        Assert.Contains(FindingCodes.PhotoBlurred, Codes(result));
    }

    [Fact]
    public void Output_of_the_tool_passes_the_tool_again()
    {
        var first = Tool().Process(TestImages.PortraitJpeg(800, 1160, TestImages.White));
        AssertCompliant(first);
        var second = Tool().Process(first.Jpeg);
        AssertCompliant(second);
    }
}
