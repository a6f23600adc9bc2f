using NetVips;

namespace ExamReview.Imaging;

/// <summary>How untrusted bytes are admitted by <see cref="UntrustedImage"/>.</summary>
public sealed record ImageLoadOptions
{
    public static ImageLoadOptions Default { get; } = new();

    /// <summary>Largest width × height accepted, checked from the header before any pixel is decoded.</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>
    /// Decoder strictness. Truncated (the default) makes a cut-off JPEG fail instead of being silently
    /// padded with grey, which is what "truncated files are refused" needs.
    /// </summary>
    public Enums.FailOn FailOn { get; init; } = Enums.FailOn.Truncated;

    /// <summary>
    /// Sequential is cheaper (no full-image cache) when the pixels are read once top to bottom, e.g. a decode
    /// into memory straight after loading; Random allows arbitrary later reads (needed by rotations).
    /// </summary>
    public Enums.Access Access { get; init; } = Enums.Access.Random;

    /// <summary>Accept bytes after the container end (see <see cref="ImageFormatDetector.Inspect"/>).</summary>
    public bool AllowTrailingData { get; init; }

    /// <summary>Formats accepted; null means every supported one.</summary>
    public IReadOnlyCollection<ImageFormat>? AllowedFormats { get; init; }
}
