using ExamReview.Imaging;
using NetVips;

namespace ExamReview.ImageValidation.Tests;

/// <summary>Short names for the encodes and reads the tests repeat (test inputs are trusted: no admission).</summary>
internal static class VipsTestExtensions
{
    public static byte[] ToJpeg(this Image image, int quality = 85, bool strip = true) => TestImages.Jpeg(image, quality, strip);

    public static byte[] ToPng(this Image image, int compression = 6) =>
        image.PngsaveBuffer(compression: compression, keep: Enums.ForeignKeep.None);

    public static byte[] ToWebp(this Image image, int quality = 80) =>
        image.WebpsaveBuffer(q: quality, keep: Enums.ForeignKeep.None);

    /// <summary>HEIC (HEVC) through the system libheif's x265 encoder: NetVips.Native has no HEVC encoder.</summary>
    public static byte[] ToHeic(this Image image, int quality = 50) => HeicEncoder.Encode(image, quality);

    /// <summary>The EXIF orientation tag, 1 when absent.</summary>
    public static int Orientation(this Image image) =>
        image.Contains("orientation") && image.Get("orientation") is int o ? o : 1;

    public static byte[] ToPixelBytes(this Image image) => image.WriteToMemory<byte>();

    /// <summary>Mean of one band's pixels.</summary>
    public static double BandMean(this Image image, int band)
    {
        using var one = image.ExtractBand(band);
        return one.Avg();
    }

    /// <summary>Decodes trusted test bytes into memory.</summary>
    public static Image Decoded(byte[] bytes, Enums.FailOn failOn = Enums.FailOn.None)
    {
        using var lazy = Image.NewFromBuffer(bytes, failOn: failOn);
        return lazy.CopyMemory();
    }

    /// <summary>Decoded pixels we own, as the tools hold them.</summary>
    public static DecodedPixels Pixels(byte[] bytes)
    {
        using var lazy = Image.NewFromBuffer(bytes, access: Enums.Access.Sequential);
        return DecodedPixels.From(lazy);
    }
}
