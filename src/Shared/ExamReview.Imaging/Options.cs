namespace ExamReview.Imaging;

/// <summary>How untrusted bytes are admitted by <see cref="VipsImage.LoadFromBuffer"/>.</summary>
public sealed record ImageLoadOptions
{
    public static ImageLoadOptions Default { get; } = new();

    /// <summary>Largest width × height accepted, checked from the header before any pixel is decoded.</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>
    /// Decoder strictness. Truncated (the default) makes a cut-off JPEG fail instead of being silently
    /// padded with grey, which is what "truncated files are refused" needs.
    /// </summary>
    public FailOn FailOn { get; init; } = FailOn.Truncated;

    /// <summary>
    /// Sequential is cheaper (no full-image cache) when the pixels are read once top to bottom, e.g.
    /// <see cref="VipsImage.Decode"/> immediately after loading; Random allows arbitrary later reads.
    /// </summary>
    public Access Access { get; init; } = Access.Random;

    /// <summary>Accept bytes after the container end (see <see cref="ImageFormatDetector.Inspect"/>).</summary>
    public bool AllowTrailingData { get; init; }

    /// <summary>Formats accepted; null means every supported one.</summary>
    public IReadOnlyCollection<ImageFormat>? AllowedFormats { get; init; }
}

/// <summary>Options for <see cref="VipsImage.ToJpeg"/>.</summary>
public sealed record JpegSaveOptions
{
    /// <summary>Quality factor 1-100.</summary>
    public int Quality { get; init; } = 85;

    /// <summary>Drop EXIF (incl. GPS), XMP, IPTC and ICC: outputs never leak capture metadata.</summary>
    public bool Strip { get; init; } = true;

    /// <summary>Optimal Huffman tables: a few percent smaller for a little CPU.</summary>
    public bool OptimizeCoding { get; init; } = true;

    /// <summary>Progressive JPEG.</summary>
    public bool Interlace { get; init; }

    /// <summary>Keep full-resolution chroma (sharper coloured text, larger files).</summary>
    public bool NoSubsample { get; init; }
}

/// <summary>Options for <see cref="VipsImage.ToPng"/>.</summary>
public sealed record PngSaveOptions
{
    /// <summary>zlib compression level 0-9.</summary>
    public int Compression { get; init; } = 6;

    public bool Strip { get; init; } = true;

    public bool Interlace { get; init; }
}

/// <summary>Options for <see cref="VipsImage.Text"/>.</summary>
public sealed record TextOptions
{
    /// <summary>Pango font description: family and size in points, e.g. "WenQuanYi Micro Hei 24".</summary>
    public string Font { get; init; } = "WenQuanYi Micro Hei 24";

    /// <summary>Resolution the points are rendered at (72 makes points ≈ pixels).</summary>
    public int Dpi { get; init; } = 72;

    /// <summary>Wrap lines at this many pixels; 0 means no wrapping.</summary>
    public int Width { get; init; }

    /// <summary>Render RGBA in <see cref="Colour"/> (otherwise a one-band 0-255 coverage mask).</summary>
    public bool Rgba { get; init; }

    /// <summary>Text colour (R, G, B) when <see cref="Rgba"/> is set.</summary>
    public (byte R, byte G, byte B) Colour { get; init; } = (0, 0, 0);

    /// <summary>Optional font file to load (otherwise fontconfig resolves <see cref="Font"/>).</summary>
    public string? FontFile { get; init; }
}
