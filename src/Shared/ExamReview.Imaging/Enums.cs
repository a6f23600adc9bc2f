namespace ExamReview.Imaging;

// Numeric values are libvips' own (stable across 8.x); a test checks each against vips_enum_from_nick.

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

/// <summary>VipsBandFormat: the numeric type of one band of one pixel.</summary>
public enum BandFormat
{
    UChar = 0,
    Char = 1,
    UShort = 2,
    Short = 3,
    UInt = 4,
    Int = 5,
    Float = 6,
    Complex = 7,
    Double = 8,
    DpComplex = 9,
}

/// <summary>VipsInterpretation: how to read the bands.</summary>
public enum Interpretation
{
    Multiband = 0,
    BW = 1,
    Histogram = 10,
    Xyz = 12,
    Lab = 13,
    Cmyk = 15,
    Labq = 16,
    Rgb = 17,
    Cmc = 18,
    Lch = 19,
    Labs = 21,
    Srgb = 22,
    Yxy = 23,
    Fourier = 24,
    Rgb16 = 25,
    Grey16 = 26,
    Matrix = 27,
    Scrgb = 28,
    Hsv = 29,
}

/// <summary>VipsFailOn: which decoder complaints abort the load.</summary>
public enum FailOn
{
    None = 0,
    Truncated = 1,
    Error = 2,
    Warning = 3,
}

/// <summary>VipsAccess: how pixels will be read.</summary>
public enum Access
{
    Random = 0,
    Sequential = 1,
}

/// <summary>VipsBlendMode (the subset we use).</summary>
public enum BlendMode
{
    Over = 2,
    Multiply = 14,
    Screen = 15,
}

/// <summary>VipsExtend: how <see cref="VipsImage.Embed"/> fills new pixels.</summary>
public enum Extend
{
    Black = 0,
    Copy = 1,
    Repeat = 2,
    Mirror = 3,
    White = 4,
    Background = 5,
}

/// <summary>VipsSize: whether thumbnailing may enlarge.</summary>
public enum ThumbnailSize
{
    Both = 0,
    Up = 1,
    Down = 2,
    Force = 3,
}

/// <summary>VipsInteresting: where thumbnail crops.</summary>
public enum Interesting
{
    None = 0,
    Centre = 1,
    Entropy = 2,
    Attention = 3,
}

/// <summary>VipsKernel: resampling kernel for <see cref="VipsImage.Resize"/>.</summary>
public enum Kernel
{
    Nearest = 0,
    Linear = 1,
    Cubic = 2,
    Mitchell = 3,
    Lanczos2 = 4,
    Lanczos3 = 5,
}

/// <summary>VipsPrecision for convolutions.</summary>
public enum Precision
{
    Integer = 0,
    Float = 1,
    Approximate = 2,
}
