using ExamReview.Imaging;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Finding codes for the refusals every tool shares, per tool ("photo." or "doc.").</summary>
internal sealed record IntakeCodes(string Format, string Unreadable, string Polyglot, string TooManyPixels)
{
    public static readonly IntakeCodes Photo = new(FindingCodes.PhotoNotJpeg, FindingCodes.PhotoUnreadable, FindingCodes.PhotoPolyglot, FindingCodes.PhotoTooManyPixels);
    public static readonly IntakeCodes Document = new(FindingCodes.DocFormat, FindingCodes.DocUnreadable, FindingCodes.DocPolyglot, FindingCodes.DocTooManyPixels);
}

/// <summary>
/// Admits untrusted bytes: detect by content, header-only budget check, then decode once into memory as 8-bit
/// sRGB (sequential read, so the decoder streams straight into the buffer). Images that declare more than the
/// decode budget are shrunk while loading instead, so none occupies more memory than the budget allows.
/// Every imaging refusal becomes a finding, never an exception, so callers always get a list of problems to show.
/// </summary>
internal static class Intake
{
    /// <param name="header">What the header declared (stored size and EXIF orientation), default if refused.</param>
    /// <param name="maxDecodedPixels">Larger images are decoded shrunk to at most this many pixels, already upright.</param>
    public static DecodedPixels? LoadSrgb(
        ReadOnlySpan<byte> data, ImageLoadOptions options, IntakeCodes codes, List<Finding> findings, out ImageHeader header,
        long maxDecodedPixels = long.MaxValue)
    {
        header = default;
        Image? loaded = null;
        try
        {
            loaded = UntrustedImage.Load(data, options with { Access = Enums.Access.Sequential }, out header);
            if (header.PixelCount > maxDecodedPixels)
            {
                loaded.Dispose();
                loaded = null;
                var scale = Math.Sqrt((double)maxDecodedPixels / header.PixelCount);
                loaded = UntrustedImage.Thumbnail(data, Fit(header.UprightWidth, scale), Fit(header.UprightHeight, scale), options, out header);
            }

            using var srgb = ToSrgbOrNull(loaded);
            return DecodedPixels.From(srgb ?? loaded);
        }
        catch (ImagingException e)
        {
            findings.Add(Describe(e, codes, options));
        }
        catch (VipsException e)
        {
            findings.Add(Unreadable(codes, e.Message));
        }
        finally
        {
            loaded?.Dispose();
        }

        return null;

        static int Fit(int side, double scale) => Math.Max(1, (int)Math.Floor(side * scale));
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
        CorruptImageException e => Unreadable(codes, e.VipsError),
        _ => Unreadable(codes, error.Message),
    };

    public static Finding Unreadable(IntakeCodes codes, string detail) => new(
        codes.Unreadable,
        "图片已损坏或不完整，无法读取，请重新拍摄或导出后上传。",
        "The image is damaged or incomplete and cannot be read; please export or take it again.",
        null,
        Truncate(detail.Trim()));

    private static Finding FromFormatProblem(ImageFormatException e, IntakeCodes codes, ImageLoadOptions options)
    {
        var allowed = options.AllowedFormats is { } formats ? string.Join("/", formats) : "JPEG/PNG/WebP/HEIF";
        return e.Problem switch
        {
            ImageFormatProblem.UnknownFormat or ImageFormatProblem.FormatNotAllowed => new Finding(
                codes.Format,
                codes == IntakeCodes.Photo ? "照片格式无法识别，请使用JPG、PNG、HEIC或WebP格式的照片。" : "文件格式不支持，请使用jpg/jpeg/png格式。",
                codes == IntakeCodes.Photo ? "The photo's format is not recognised; use a JPEG, PNG, HEIC or WebP photo." : "Unsupported file format; use jpg/jpeg/png.",
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

    /// <summary>True for what a JPEG usually decodes to: 3-band 8-bit sRGB without alpha, ready as it is.</summary>
    public static bool IsPlainSrgb(Image image) =>
        image.Bands == 3 && image.Format == Enums.BandFormat.Uchar && image.Interpretation == Enums.Interpretation.Srgb;

    /// <summary>
    /// Null when <paramref name="image"/> is already plain 8-bit sRGB (use it as it is); otherwise a lazy
    /// conversion: alpha flattened onto white, then 8-bit sRGB (CMYK, grey, 16-bit inputs included).
    /// </summary>
    public static Image? ToSrgbOrNull(Image image)
    {
        if (IsPlainSrgb(image))
        {
            return null;
        }

        using var flat = image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : null;
        using var srgb = (flat ?? image).Colourspace(Enums.Interpretation.Srgb);
        return srgb.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary><see cref="ToSrgbOrNull"/>, or a new reference to <paramref name="image"/> when it is plain sRGB already.</summary>
    public static Image ToSrgb(Image image) => ToSrgbOrNull(image) ?? image.Copy();
}
