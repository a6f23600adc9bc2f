namespace ExamReview.Imaging;

/// <summary>Base of every failure this library reports; catch this to catch them all.</summary>
public class ImagingException : Exception
{
    public ImagingException()
    {
    }

    public ImagingException(string message)
        : base(message)
    {
    }

    public ImagingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The bytes carry a supported signature but their pixels cannot be decoded: truncated, corrupt,
/// or rejected by the decoder's <c>fail_on</c> level.
/// </summary>
public sealed class CorruptImageException : ImagingException
{
    public CorruptImageException()
    {
    }

    public CorruptImageException(string message)
        : base(message)
    {
    }

    public CorruptImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorruptImageException(string operation, string vipsError, Exception? innerException = null)
        : base($"libvips operation '{operation}' failed: {vipsError}", innerException ?? new InvalidOperationException(vipsError))
    {
        Operation = operation;
        VipsError = vipsError;
    }

    /// <summary>The libvips operation (or libheif step) that failed, e.g. <c>jpegload_buffer</c>.</summary>
    public string Operation { get; } = string.Empty;

    /// <summary>The decoder's own error text.</summary>
    public string VipsError { get; } = string.Empty;
}

/// <summary>Why a byte stream was refused before any decoder saw it.</summary>
public enum ImageFormatProblem
{
    None = 0,

    /// <summary>No supported signature (JPEG, PNG, WebP, HEIF) at the start of the bytes.</summary>
    UnknownFormat,

    /// <summary>A supported format, but not one the caller allows here.</summary>
    FormatNotAllowed,

    /// <summary>The container ends before its structure says it should.</summary>
    Truncated,

    /// <summary>The container structure is broken (bad lengths, missing markers).</summary>
    Malformed,

    /// <summary>Data follows the end of the image: the classic way to make a polyglot (image + ZIP/JAR/HTML).</summary>
    TrailingData,

    /// <summary>HTML/script markup embedded in the file (image/HTML polyglots used for content-sniffing attacks).</summary>
    EmbeddedMarkup,
}

/// <summary>The bytes are not an acceptable image container; raised before decoding.</summary>
public sealed class ImageFormatException : ImagingException
{
    public ImageFormatException()
    {
    }

    public ImageFormatException(string message)
        : base(message)
    {
    }

    public ImageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImageFormatException(ImageFormat format, ImageFormatProblem problem, string detail)
        : base($"Image refused ({format}, {problem}): {detail}")
    {
        Format = format;
        Problem = problem;
        Detail = detail;
    }

    public ImageFormat Format { get; }

    public ImageFormatProblem Problem { get; }

    public string Detail { get; } = string.Empty;
}

/// <summary>
/// The header declares more pixels than the configured budget: refused before any pixel is decoded
/// (decompression bombs are tiny files that declare huge images).
/// </summary>
public sealed class PixelBudgetExceededException : ImagingException
{
    public PixelBudgetExceededException()
    {
    }

    public PixelBudgetExceededException(string message)
        : base(message)
    {
    }

    public PixelBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PixelBudgetExceededException(int width, int height, long maxPixels)
        : base($"Image declares {width}x{height} = {(long)width * height} pixels, over the budget of {maxPixels}.")
    {
        Width = width;
        Height = height;
        MaxPixels = maxPixels;
    }

    public int Width { get; }

    public int Height { get; }

    public long MaxPixels { get; }
}
