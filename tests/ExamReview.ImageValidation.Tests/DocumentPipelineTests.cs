using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>
/// The in-place sharpness/blankness measure gives the same figures as the libvips graph it replaced, so the
/// documented thresholds keep their meaning (no recalibration); and the one-decode pipeline reports exactly
/// what the inspector and the watermarker report on their own.
/// </summary>
public class DocumentPipelineTests
{
    private const int Tile = 32;
    private const double ContentMinDeviation = 12;
    // The generated dense pages are larger than 200 KB; the size rule is not what these tests are about.
    private static readonly DocumentOptions Options = new() { MaxFileBytes = 10 * 1024 * 1024 };
    private static readonly DocumentPipeline Pipeline = new(Options, new WatermarkOptions());
    private static readonly DocumentInspector Inspector = new(Options);
    private static readonly Watermarker Watermarker = new(new WatermarkOptions());

    public static TheoryData<string> MeasureCases() =>
    [
        "sharp page 1000x1400", "blurred σ=2 page 1000x1400", "blurred σ=3 page 1000x1400", "blurred σ=4 page 1000x1400",
        "noisy page 1010x1390", "blank paper 900x1200", "uneven tiles 783x1044", "small 20x24", "grey one-band 640x800",
    ];

    [Theory]
    [MemberData(nameof(MeasureCases))]
    public void In_place_measure_equals_the_libvips_reference(string name)
    {
        using var image = MeasureCase(name);
        var expected = ReferenceContentSharpness(image, Tile, ContentMinDeviation);
        var actual = Measure.ContentSharpness(image.WriteToMemory<byte>(), image.Width, image.Height, image.Bands, image.Format, Tile, ContentMinDeviation);

        Assert.Equal(expected.ContentFraction, actual.ContentFraction, 6);
        Assert.Equal(expected.Deviation, actual.Deviation, 0.001 + (expected.Deviation * 1e-5));
        Assert.Equal(expected.Sharpness, actual.Sharpness, 0.001 + (expected.Sharpness * 1e-5));
    }

    [Fact]
    public void Float_grey_input_is_measured_like_the_reference()
    {
        using var page = TestImages.DocumentPage(900, 1100, noise: 3);
        using var grey = Measure.Grey(page);
        using var reduced = grey.Resize(0.7);
        using var inMemory = reduced.CopyMemory();
        var expected = ReferenceContentSharpness(inMemory, Tile, ContentMinDeviation);
        var actual = Measure.ContentSharpness(System.Runtime.InteropServices.MemoryMarshal.AsBytes(inMemory.WriteToMemory<float>().AsSpan()), inMemory.Width, inMemory.Height, inMemory.Bands, inMemory.Format, Tile, ContentMinDeviation);
        Assert.Equal(expected.ContentFraction, actual.ContentFraction, 6);
        Assert.Equal(expected.Sharpness, actual.Sharpness, 0.001 + (expected.Sharpness * 1e-5));
    }

    [Fact]
    public void Rules_still_discriminate_sharp_blurred_and_blank()
    {
        var sharp = Inspector.Inspect(TestImages.DocumentJpeg(1000, 1300, quality: 80));
        var soft = Inspector.Inspect(TestImages.DocumentJpeg(1000, 1300, blurSigma: 1.5, quality: 80));
        var blurred = Inspector.Inspect(TestImages.DocumentJpeg(1000, 1300, blurSigma: 3, quality: 80));
        using var paper = TestImages.Solid(1000, 1300, 245, 245, 245);
        var blank = Inspector.Inspect(paper.ToJpeg());

        Assert.True(sharp.Passed, string.Join("; ", sharp.Findings.Select(f => $"{f.Code} {f.Measured}")));
        Assert.True(soft.Passed, string.Join("; ", soft.Findings.Select(f => $"{f.Code} {f.Measured}")));
        Assert.Equal([FindingCodes.DocBlurred], blurred.Findings.Select(f => f.Code));
        Assert.Equal([FindingCodes.DocBlank], blank.Findings.Select(f => f.Code));
        Assert.True(sharp.Sharpness > soft.Sharpness && soft.Sharpness > blurred.Sharpness);
    }

    [Fact]
    public void Pipeline_reports_what_the_inspector_and_the_watermarker_report()
    {
        var upload = TestImages.DocumentJpeg(1000, 1300, noise: 4, quality: 80);
        var result = Pipeline.Process(upload, "2025110105000123");
        var alone = Inspector.Inspect(upload);

        Assert.Equal(alone.Findings.Select(f => f.Code), result.Inspection.Findings.Select(f => f.Code));
        Assert.Equal((alone.Width, alone.Height, alone.Sharpness, alone.ContentFraction, alone.Deviation),
            (result.Inspection.Width, result.Inspection.Height, result.Inspection.Sharpness, result.Inspection.ContentFraction, result.Inspection.Deviation));
        Assert.NotNull(result.WatermarkedJpeg);
        Assert.Equal(Watermarker.Apply(upload, "2025110105000123"), result.WatermarkedJpeg);
    }

    [Fact]
    public void Tiles_rendered_alongside_the_decode_on_many_threads_give_the_same_copies_as_rendering_in_line()
    {
        // A fresh pipeline, so every tile is rendered on the thread pool while its document decodes, and a
        // separate watermarker with its own cache, which renders each tile in line.
        var pipeline = new DocumentPipeline(new DocumentOptions(), new WatermarkOptions());
        var reference = new Watermarker(new WatermarkOptions());
        var uploads = new[] { TestImages.DocumentJpeg(900, 1200, noise: 3, quality: 80), TestImages.DocumentJpeg(1300, 1000, noise: 3, quality: 80) };
        var numbers = Enumerable.Range(0, 24).Select(i => (2025110105000200L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var copies = new byte[numbers.Length][];
        Parallel.For(0, numbers.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            copies[i] = pipeline.Process(uploads[i % uploads.Length], numbers[i]).WatermarkedJpeg!);

        for (var i = 0; i < numbers.Length; i++)
        {
            Assert.Equal(reference.Apply(uploads[i % uploads.Length], numbers[i]), copies[i]);
        }
    }

    [Fact]
    public void Pipeline_watermarks_rotated_uploads_upright_and_reports_the_rotation()
    {
        var source = TestData.Read("exif-orientation/Portrait_8.jpg");
        var result = Pipeline.Process(source, "2025110105000123");

        Assert.Contains(FindingCodes.DocOrientation, result.Inspection.Findings.Select(f => f.Code));
        Assert.NotNull(result.WatermarkedJpeg);
        Assert.False(TestData.HasExif(result.WatermarkedJpeg));
        using var image = Image.NewFromBuffer(result.WatermarkedJpeg);
        Assert.Equal((1200, 1800), (image.Width, image.Height));
        Assert.Equal(Watermarker.Apply(source, "2025110105000123"), result.WatermarkedJpeg);
    }

    [Fact]
    public void Pipeline_makes_no_copy_of_what_it_cannot_decode()
    {
        var jpeg = TestImages.DocumentJpeg(800, 1000);
        var truncated = Pipeline.Process(jpeg.AsSpan(0, jpeg.Length - 100), "A1");
        Assert.Equal([FindingCodes.DocUnreadable], truncated.Inspection.Findings.Select(f => f.Code));
        Assert.Null(truncated.WatermarkedJpeg);

        using var image = Image.NewFromBuffer(jpeg);
        var webp = Pipeline.Process(image.ToWebp(), "A1");
        Assert.Equal([FindingCodes.DocFormat], webp.Inspection.Findings.Select(f => f.Code));
        Assert.Null(webp.WatermarkedJpeg);
    }

    [Fact]
    public void Pipeline_flattens_png_alpha_onto_white_and_watermarks_grey_scans_in_colour()
    {
        var px = new byte[700 * 900 * 4]; // fully transparent
        using var transparent = TestImages.FromPixels(px, 700, 900, 4);
        var flattened = Pipeline.Process(transparent.ToPng(), "A1");
        Assert.Equal([FindingCodes.DocBlank], flattened.Inspection.Findings.Select(f => f.Code));
        using (var marked = Image.NewFromBuffer(flattened.WatermarkedJpeg!))
        {
            Assert.Equal(3, marked.Bands);
            Assert.True(marked.Avg() > 200, "transparent areas become white, not black");
        }

        using var page = TestImages.DocumentPage(800, 1000);
        using var grey = page.Colourspace(Enums.Interpretation.Bw);
        var scan = Pipeline.Process(grey.ToJpeg(), "A1");
        Assert.True(scan.Inspection.Passed, string.Join("; ", scan.Inspection.Findings.Select(f => f.Code)));
        using var colour = Image.NewFromBuffer(scan.WatermarkedJpeg!);
        Assert.Equal(3, colour.Bands);
        Assert.True(colour.BandMean(0) > colour.BandMean(1), "the red mark shows on a grey scan");
    }

    private static Image MeasureCase(string name)
    {
        switch (name)
        {
            case "sharp page 1000x1400": return Decoded(TestImages.DocumentJpeg(1000, 1400));
            case "blurred σ=2 page 1000x1400": return Decoded(TestImages.DocumentJpeg(1000, 1400, blurSigma: 2));
            case "blurred σ=3 page 1000x1400": return Decoded(TestImages.DocumentJpeg(1000, 1400, blurSigma: 3));
            case "blurred σ=4 page 1000x1400": return Decoded(TestImages.DocumentJpeg(1000, 1400, blurSigma: 4));
            case "noisy page 1010x1390": return Decoded(TestImages.DocumentJpeg(1010, 1390, noise: 8));
            case "uneven tiles 783x1044": return Decoded(TestImages.DocumentJpeg(783, 1044, noise: 4));
            case "small 20x24":
                {
                    var px = new byte[20 * 24 * 3];
                    new Random(3).NextBytes(px);
                    using var speckle = TestImages.FromPixels(px, 20, 24, 3);
                    return Decoded(speckle.ToJpeg());
                }

            case "blank paper 900x1200":
                {
                    var px = new byte[900 * 1200 * 3];
                    var rnd = new Random(5);
                    for (var i = 0; i < px.Length; i++)
                    {
                        px[i] = (byte)(240 + rnd.Next(6));
                    }

                    using var paper = TestImages.FromPixels(px, 900, 1200, 3);
                    return Decoded(paper.ToJpeg(60));
                }

            case "grey one-band 640x800":
                {
                    using var page = TestImages.DocumentPage(640, 800, noise: 5);
                    using var grey = page.Colourspace(Enums.Interpretation.Bw);
                    var decoded = grey.CopyMemory();
                    Assert.Equal(1, decoded.Bands);
                    return decoded;
                }

            default: throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    private static Image Decoded(byte[] jpeg) => VipsTestExtensions.Decoded(jpeg);

    /// <summary>
    /// The libvips graph the inspector used before: Rec. 601 grey (recomb, float), 3 × 3 Laplacian (conv,
    /// float), grey, grey² and Laplacian² band-joined and block-averaged per tile (shrink), then the same
    /// median / content share / deviation. Kept here as the definition the in-place measure must match.
    /// </summary>
    private static (double Sharpness, double ContentFraction, double Deviation) ReferenceContentSharpness(Image image, int tile, double minTileDeviation)
    {
        using var grey = image.Format == Enums.BandFormat.Float ? image.Cast(Enums.BandFormat.Float) : Measure.Grey(image);
        tile = Math.Max(1, Math.Min(tile, Math.Min(grey.Width, grey.Height)));
        using var mask = Image.NewFromArray(new double[,] { { 0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } });
        using var response = grey.Conv(mask, precision: Enums.Precision.Float);
        using var responseSquared = response.Multiply(response);
        using var greySquared = grey.Multiply(grey);
        using var joined = grey.Bandjoin(greySquared, responseSquared);
        using var tiles = joined.Shrink(tile, tile);
        using var asFloat = tiles.Cast(Enums.BandFormat.Float);
        var values = asFloat.WriteToMemory<float>();

        var count = values.Length / 3;
        var content = new List<double>();
        var minVariance = minTileDeviation * minTileDeviation;
        double sum = 0, sumSquares = 0;
        for (var i = 0; i < count; i++)
        {
            double mean = values[3 * i], meanSquare = values[(3 * i) + 1], energy = values[(3 * i) + 2];
            sum += mean;
            sumSquares += meanSquare;
            if (meanSquare - (mean * mean) >= minVariance)
            {
                content.Add(energy);
            }
        }

        var overallMean = sum / count;
        var deviation = Math.Sqrt(Math.Max(0, (sumSquares / count) - (overallMean * overallMean)));
        if (content.Count == 0)
        {
            return (0, 0, deviation);
        }

        content.Sort();
        return (content[content.Count / 2], (double)content.Count / count, deviation);
    }
}

public class DecodedPixelsTests
{
    // Lending relies on libvips' operation cache being off (VipsRuntimeOptions.CacheMaxOperations), as every
    // service runs it: a cached operation would hold a lent image. These tests use NetVips directly, so nothing
    // else in them initialises the runtime, and whether they passed depended on which test class ran first.
    public DecodedPixelsTests() => VipsRuntime.EnsureInitialised();

    [Fact]
    public void Decoded_pixels_are_the_bytes_libvips_computes_and_lend_themselves_back_without_a_copy()
    {
        var jpeg = TestImages.DocumentJpeg(300, 200, noise: 5);
        using var lazy = Image.NewFromBuffer(jpeg);
        using var pixels = DecodedPixels.From(lazy);
        Assert.Equal(lazy.ToPixelBytes(), pixels.Pixels.ToArray());
        Assert.Equal((300, 200, 3, Enums.BandFormat.Uchar, Enums.Interpretation.Srgb), (pixels.Width, pixels.Height, pixels.Bands, pixels.Format, pixels.Interpretation));

        using var lent = pixels.ToImage();
        Assert.Equal(Enums.Interpretation.Srgb, lent.Interpretation);
        Assert.Equal(pixels.Pixels.ToArray(), lent.ToPixelBytes());
    }

    [Fact]
    public void DecodedPixels_lend_images_without_a_collector_hint()
    {
        // NetVips would call GC.AddMemoryPressure(size) each time an image over existing memory enters an
        // operation, inducing gen-2 collections every few documents; DecodedPixels frees its memory itself.
        Assert.True(GcPressureHint.Supported, "NetVips no longer has the MemoryPressure field GcPressureHint clears");
        var pixels = new byte[64 * 48 * 3];
        using var raw = Image.NewFromMemory(pixels, 64, 48, 3, Enums.BandFormat.Uchar);
        Assert.Equal(pixels.Length, GcPressureHint.Of(raw));
        GcPressureHint.Clear(raw);
        Assert.Equal(0, GcPressureHint.Of(raw));
    }

    [Fact]
    public void A_damaged_lazy_image_is_reported_as_corrupt_when_decoded()
    {
        var jpeg = TestData.Read("exif-orientation/Landscape_1.jpg");
        byte[] forged = [.. jpeg.AsSpan(0, jpeg.Length * 6 / 10), 0xFF, 0xD9]; // cut, with an end marker appended
        using var cut = Image.NewFromBuffer(forged, failOn: Enums.FailOn.Warning);
        var e = Assert.Throws<CorruptImageException>(() => DecodedPixels.From(cut));
        Assert.Equal("write_to_memory", e.Operation);
        Assert.False(string.IsNullOrWhiteSpace(e.VipsError));
    }

    [Fact]
    public void Fresh_pixels_are_private_and_EditPixels_changes_them_in_place()
    {
        using var lazy = Image.NewFromBuffer(TestImages.DocumentJpeg(64, 48));
        using var decoded = DecodedPixels.From(lazy);
        Assert.True(decoded.HasPrivatePixels);

        decoded.EditPixels(0, static (pixels, _) => pixels.Fill(7));

        Assert.All(decoded.Pixels.ToArray(), b => Assert.Equal(7, b));
        Assert.NotEqual(lazy.ToPixelBytes(), decoded.Pixels.ToArray()); // the source image is untouched
    }

    [Fact]
    public void Pixels_lent_to_an_image_cannot_be_edited_until_the_image_is_gone()
    {
        using var lazy = Image.NewFromBuffer(TestImages.DocumentJpeg(64, 48));
        using var decoded = DecodedPixels.From(lazy);
        var lent = decoded.ToImage();
        var brighter = lent.Linear([1.0], [10.0], uchar: true); // lazy: reads the pixels when computed
        Assert.False(decoded.HasPrivatePixels);
        Assert.Throws<InvalidOperationException>(() => decoded.EditPixels(0, static (pixels, _) => pixels.Clear()));
        Assert.NotEqual(0, brighter.ToPixelBytes().Max());

        brighter.Dispose();
        lent.Dispose();
        Assert.True(decoded.HasPrivatePixels);
    }

    [Fact]
    public void Lent_pixels_outlive_their_owner_until_libvips_lets_go()
    {
        using var lazy = Image.NewFromBuffer(TestImages.DocumentJpeg(64, 48));
        var expected = lazy.ToPixelBytes();
        var decoded = DecodedPixels.From(lazy);
        using var lent = decoded.ToImage();
        decoded.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(expected, lent.ToPixelBytes());
        Assert.Throws<ObjectDisposedException>(() => decoded.Pixels.Length);
    }

    [Fact]
    public void Watermarking_lent_pixels_leaves_them_as_they_were_and_gives_the_same_copy_as_the_in_place_path()
    {
        var watermarker = new Watermarker(new WatermarkOptions());
        var jpeg = TestImages.DocumentJpeg(400, 300, noise: 3);

        using var shared = VipsTestExtensions.Pixels(jpeg);
        using var lent = shared.ToImage(); // now shared: ApplyDecoded must blend into a copy
        Assert.False(shared.HasPrivatePixels);
        var before = shared.Pixels.ToArray();
        var fromShared = watermarker.ApplyDecoded(shared, "2025110105000123");
        Assert.Equal(before, shared.Pixels.ToArray());

        using var privateCopy = VipsTestExtensions.Pixels(jpeg);
        var inPlace = watermarker.ApplyDecoded(privateCopy, "2025110105000123");
        Assert.Equal(fromShared, inPlace);
        Assert.NotEqual(before, privateCopy.Pixels.ToArray()); // the private pixels now carry the watermark
    }
}
