using System.Globalization;

namespace ExamReview.ImageValidation.Processing;

/// <summary>
/// One problem found in an image, shown to the candidate as-is.
/// </summary>
/// <param name="Code">Stable machine-readable code (see <see cref="FindingCodes"/>); clients key on this, never on messages.</param>
/// <param name="MessageZh">Message for the candidate, in Chinese.</param>
/// <param name="MessageEn">The same message in English.</param>
/// <param name="Threshold">The configured limit that was crossed, as text (e.g. "≥ 190x254"), or null.</param>
/// <param name="Measured">What was measured on this image, as text (e.g. "160x210"), or null.</param>
public sealed record Finding(string Code, string MessageZh, string MessageEn, string? Threshold = null, string? Measured = null);

/// <summary>The stable finding codes.</summary>
public static class FindingCodes
{
    public const string PhotoNotJpeg = "photo.not_jpeg";
    public const string PhotoUnreadable = "photo.unreadable";
    public const string PhotoPolyglot = "photo.polyglot";
    public const string PhotoTooManyPixels = "photo.too_many_pixels";
    public const string PhotoInputTooLarge = "photo.input_too_large";
    public const string PhotoTooSmall = "photo.too_small";
    public const string PhotoWrongProportions = "photo.wrong_proportions";
    public const string PhotoBackgroundNotWhite = "photo.background_not_white";
    public const string PhotoBlurred = "photo.blurred";
    public const string PhotoTooDark = "photo.too_dark";
    public const string PhotoTooBright = "photo.too_bright";
    public const string PhotoTooLarge = "photo.too_large";

    public const string DocFormat = "doc.format";
    public const string DocUnreadable = "doc.unreadable";
    public const string DocPolyglot = "doc.polyglot";
    public const string DocTooManyPixels = "doc.too_many_pixels";
    public const string DocTooLarge = "doc.too_large";
    public const string DocLowResolution = "doc.low_resolution";
    public const string DocBlank = "doc.blank";
    public const string DocBlurred = "doc.blurred";
    public const string DocOrientation = "doc.orientation";
}

/// <summary>Formatting helpers so thresholds and measurements read the same everywhere.</summary>
internal static class Fmt
{
    public static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Size(int width, int height) => string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");

    public static string Bytes(long bytes) => bytes.ToString(CultureInfo.InvariantCulture) + " B";
}
