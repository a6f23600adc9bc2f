namespace ExamReview.Imaging;

/// <summary>Container formats this library will decode.</summary>
public enum ImageFormat
{
    Unknown = 0,
    Jpeg,
    Png,
    WebP,

    /// <summary>HEIF/HEIC (and AVIF, which libheif decodes too).</summary>
    Heif,
}
