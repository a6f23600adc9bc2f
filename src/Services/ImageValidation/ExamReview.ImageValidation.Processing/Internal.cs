using ExamReview.Imaging;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Finding codes for the refusals every tool shares, per tool ("photo." or "doc.").</summary>
internal sealed record IntakeCodes(string Format, string Unreadable, string Polyglot, string TooManyPixels)
{
    public static readonly IntakeCodes Photo = new(FindingCodes.PhotoNotJpeg, FindingCodes.PhotoUnreadable, FindingCodes.PhotoPolyglot, FindingCodes.PhotoTooManyPixels);
    public static readonly IntakeCodes Document = new(FindingCodes.DocFormat, FindingCodes.DocUnreadable, FindingCodes.DocPolyglot, FindingCodes.DocTooManyPixels);
}

/// <summary>
/// Admits untrusted bytes: detect by content, header-only budget check, then decode once into memory
/// (sequential read, so the decoder streams straight into the buffer). Every imaging refusal becomes a
/// finding, never an exception, so callers always get a list of problems to show.
/// </summary>
internal static class Intake
{
    public static VipsImage? Load(ReadOnlySpan<byte> data, ImageLoadOptions options, IntakeCodes codes, List<Finding> findings, out int orientation)
    {
        orientation = 1;
        VipsImage? loaded = null;
        try
        {
            loaded = VipsImage.LoadFromBuffer(data, options with { Access = Access.Sequential });
            orientation = loaded.Orientation;
            return loaded.Decode();
        }
        catch (ImagingException e)
        {
            findings.Add(Describe(e, codes, options));
        }
        finally
        {
            loaded?.Dispose();
        }

        return null;
    }

    /// <summary>The finding for an admission or decoding failure.</summary>
    public static Finding Describe(ImagingException error, IntakeCodes codes, ImageLoadOptions options) => error switch
    {
        ImageFormatException e => FromFormatProblem(e, codes, options),
        PixelBudgetExceededException e => new Finding(
            codes.TooManyPixels,
            "图片像素尺寸过大，无法处理。",
            "The image declares too many pixels to process.",
            $"≤ {e.MaxPixels} px",
            Fmt.Size(e.Width, e.Height)),
        VipsException e => Unreadable(codes, e.VipsError),
        _ => Unreadable(codes, error.Message),
    };

    public static Finding Unreadable(IntakeCodes codes, string detail) => new(
        codes.Unreadable,
        "图片已损坏或不完整，无法读取，请重新拍摄或导出后上传。",
        "The image is damaged or incomplete and cannot be read; please export or take it again.",
        null,
        Truncate(detail));

    private static Finding FromFormatProblem(ImageFormatException e, IntakeCodes codes, ImageLoadOptions options)
    {
        var allowed = options.AllowedFormats is { } formats ? string.Join("/", formats) : "JPEG/PNG/WebP/HEIF";
        return e.Problem switch
        {
            ImageFormatProblem.UnknownFormat or ImageFormatProblem.FormatNotAllowed => new Finding(
                codes.Format,
                codes == IntakeCodes.Photo ? "照片必须是JPG格式。" : "文件格式不支持，请使用jpg/jpeg/png格式。",
                codes == IntakeCodes.Photo ? "The photo must be a JPEG file." : "Unsupported file format; use jpg/jpeg/png.",
                allowed,
                e.Format == ImageFormat.Unknown ? "unknown" : e.Format.ToString()),
            ImageFormatProblem.TrailingData or ImageFormatProblem.EmbeddedMarkup => new Finding(
                codes.Polyglot,
                "文件中含有图片以外的数据，请重新导出图片后上传。",
                "The file contains data other than the image; please re-export it.",
                null,
                Truncate(e.Detail)),
            _ => Unreadable(codes, e.Detail),
        };
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    /// <summary>Flattens alpha onto white and converts to 8-bit sRGB (CMYK, grey, 16-bit inputs included).</summary>
    public static VipsImage ToSrgb(VipsImage image)
    {
        VipsImage? flat = null;
        try
        {
            var source = image;
            if (image.HasAlpha)
            {
                flat = image.Flatten([255, 255, 255]);
                source = flat;
            }

            var srgb = source.Colourspace(Interpretation.Srgb);
            if (srgb.Format == BandFormat.UChar)
            {
                return srgb;
            }

            using (srgb)
            {
                return srgb.Cast(BandFormat.UChar);
            }
        }
        finally
        {
            flat?.Dispose();
        }
    }
}

/// <summary>Image measurements shared by the tools.</summary>
internal static class Measure
{
    private static readonly double[] Laplacian = [0, 1, 0, 1, -4, 1, 0, 1, 0];

    /// <summary>
    /// Variance of the 4-neighbour Laplacian of a grey image: edges and fine texture give large responses,
    /// defocus and motion blur remove them. The classic no-reference sharpness measure.
    /// </summary>
    public static double LaplacianVariance(VipsImage grey)
    {
        using var mask = VipsImage.Matrix(3, 3, Laplacian);
        using var response = grey.Convolve(mask, Precision.Float);
        var deviation = response.Deviation();
        return deviation * deviation;
    }

    /// <summary>
    /// Laplacian variance where there is something to be sharp: the image is cut into tiles; tiles whose
    /// grey deviation is at least <paramref name="minTileDeviation"/> hold content (text, edges); the result is
    /// the median over those tiles of the mean squared Laplacian (the tile's Laplacian variance). Blank margins
    /// and paper therefore do not dilute the measure, so a sparse certificate and a dense form compare alike.
    /// One pass over the pixels: grey, grey² and Laplacian² are band-joined and block-averaged together.
    /// </summary>
    /// <returns>Sharpness (0 without content), the share of content tiles, and the grey deviation of the image.</returns>
    public static (double Sharpness, double ContentFraction, double Deviation) ContentSharpness(VipsImage grey, int tile, double minTileDeviation)
    {
        tile = Math.Max(1, Math.Min(tile, Math.Min(grey.Width, grey.Height)));
        using var mask = VipsImage.Matrix(3, 3, Laplacian);
        using var asFloat = grey.Format == BandFormat.Float ? null : grey.Cast(BandFormat.Float);
        var g = asFloat ?? grey;
        using var response = g.Convolve(mask, Precision.Float);
        using var responseSquared = response.Multiply(response);
        using var greySquared = g.Multiply(g);
        using var joined = g.Bandjoin(greySquared, responseSquared);
        using var tiles = joined.Shrink(tile, tile);
        var values = ReadFloats(tiles); // per tile: mean, mean of squares, Laplacian energy

        var count = values.Length / 3;
        var content = new List<double>(count);
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

    private static float[] ReadFloats(VipsImage image)
    {
        using var asFloat = image.Format == BandFormat.Float ? null : image.Cast(BandFormat.Float);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>((asFloat ?? image).ToPixelBytes()).ToArray();
    }

    private static readonly double[] Rec601Luma = [0.299, 0.587, 0.114];

    /// <summary>
    /// One-band grey (0-255, float) of an 8-bit sRGB image: Rec. 601 luma by band recombination. Much cheaper
    /// than a colourspace conversion to B_W (which goes through XYZ/Lab), and exact enough for exposure,
    /// blankness and sharpness.
    /// </summary>
    public static VipsImage Grey(VipsImage srgb)
    {
        if (srgb.Bands == 1)
        {
            return srgb.Cast(BandFormat.Float);
        }

        using var weights = VipsImage.Matrix(3, 1, Rec601Luma);
        using var rgb = srgb.Bands == 3 ? null : srgb.ExtractBand(0, 3);
        return (rgb ?? srgb).Recomb(weights);
    }

    /// <summary>Mean L*, deviation of L*, and mean C* of a region (CIE LCh).</summary>
    public static (double Lightness, double LightnessDeviation, double Chroma) LightnessAndChroma(VipsImage srgb, int left, int top, int width, int height)
    {
        using var region = srgb.ExtractArea(left, top, width, height);
        using var lch = region.Colourspace(Interpretation.Lch);
        var stats = lch.Statistics();
        return (stats.Bands[0].Mean, stats.Bands[0].Deviation, stats.Bands[1].Mean);
    }
}

/// <summary>Encodes under a byte budget with the highest quality that fits.</summary>
internal static class JpegFit
{
    /// <summary>
    /// Binary search on Q (JPEG size grows monotonically with Q for a given image, up to noise of a few
    /// bytes, which at worst costs one quality step). Returns null if even <paramref name="minQuality"/> is too big.
    /// </summary>
    public static (byte[] Jpeg, int Quality)? Encode(VipsImage image, int maxBytes, int minQuality, int maxQuality)
    {
        var best = Try(image, maxQuality);
        if (best.Length <= maxBytes)
        {
            return (best, maxQuality);
        }

        var low = Try(image, minQuality);
        if (low.Length > maxBytes)
        {
            return null;
        }

        (byte[] Jpeg, int Quality) fit = (low, minQuality);
        int lo = minQuality + 1, hi = maxQuality - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var bytes = Try(image, mid);
            if (bytes.Length <= maxBytes)
            {
                fit = (bytes, mid);
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return fit;
    }

    private static byte[] Try(VipsImage image, int quality) =>
        image.ToJpeg(new JpegSaveOptions { Quality = quality, Strip = true, OptimizeCoding = true });
}
