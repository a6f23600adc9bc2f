using ExamReview.Imaging;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Outcome of <see cref="Normaliser.Normalise"/>.</summary>
public sealed record NormalisedImage(byte[]? Jpeg, int Width, int Height, int Quality, IReadOnlyList<Finding> Findings)
{
    public bool Succeeded => Jpeg is not null;
}

/// <summary>
/// Helps rather than refuses (the rules say phone photos are ~1.5 MB, the limit is 200 KB): turns a phone
/// photo (JPEG, HEIC, PNG, WebP) into an upright, metadata-free JPEG under the size limit with text kept
/// legible. Downscale to a maximum long side, pick the highest quality that fits, and only then step the
/// size down, never below the legibility minimum. Always re-encodes, so the output carries no EXIF/GPS and
/// nothing a polyglot could hide.
/// </summary>
public sealed class Normaliser
{
    private readonly NormaliserOptions _options;

    public Normaliser(NormaliserOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.StepFactor is <= 0 or >= 1 || options.MinQuality < 1 || options.MaxQuality > 100 || options.MinQuality > options.MaxQuality || options.MaxLongSide < 1)
        {
            throw new ArgumentException("invalid NormaliserOptions", nameof(options));
        }
    }

    /// <summary>Normalises one upload. Never throws for bad input: problems are findings.</summary>
    public NormalisedImage Normalise(ReadOnlySpan<byte> upload)
    {
        var o = _options;
        var findings = new List<Finding>();
        if (upload.Length > o.MaxInputBytes)
        {
            findings.Add(new Finding(
                FindingCodes.DocTooLarge,
                "上传的文件过大，无法处理。",
                "The uploaded file is too large to process.",
                $"≤ {Fmt.Bytes(o.MaxInputBytes)}",
                Fmt.Bytes(upload.Length)));
            return Failed(findings);
        }

        // Admission and header-only budget check first, then libvips' thumbnail: shrink-on-load decodes a
        // 12 MP JPEG at 1/2, 1/4 or 1/8 scale directly, and applies the EXIF orientation.
        var load = new ImageLoadOptions { MaxPixels = o.MaxPixels, FailOn = o.FailOn, AllowTrailingData = o.AllowTrailingData };
        int sourceWidth, sourceHeight;
        try
        {
            using (var probe = VipsImage.LoadFromBuffer(upload, load with { Access = Access.Sequential }))
            {
                sourceWidth = probe.Width;
                sourceHeight = probe.Height;
            }
        }
        catch (ImagingException e)
        {
            findings.Add(Intake.Describe(e, IntakeCodes.Document, load));
            return Failed(findings);
        }

        try
        {
            return Encode(upload, load, sourceWidth, sourceHeight, findings);
        }
        catch (ImagingException e)
        {
            findings.Add(Intake.Describe(e, IntakeCodes.Document, load));
            return Failed(findings);
        }
    }

    private NormalisedImage Encode(ReadOnlySpan<byte> upload, ImageLoadOptions load, int sourceWidth, int sourceHeight, List<Finding> findings)
    {
        var o = _options;
        var box = Math.Min(o.MaxLongSide, Math.Max(sourceWidth, sourceHeight));
        using var thumbnail = VipsImage.ThumbnailFromBuffer(upload, box, box, ThumbnailSize.Down, load);
        using var decoded = thumbnail.Decode(); // corrupt pixel data fails here, as CorruptImageException
        using var srgb = Intake.ToSrgb(decoded);
        using var start = srgb.Decode();

        // Legibility floor: the configured short side, or the image's own if it is already smaller.
        var floor = Math.Min(o.MinShortSide, Math.Min(start.Width, start.Height));
        var current = start;
        try
        {
            while (true)
            {
                if (JpegFit.Encode(current, o.MaxOutputBytes, o.MinQuality, o.MaxQuality) is var (jpeg, quality))
                {
                    return new NormalisedImage(jpeg, current.Width, current.Height, quality, findings);
                }

                var shortSide = Math.Min(current.Width, current.Height);
                if (shortSide <= floor)
                {
                    findings.Add(new Finding(
                        FindingCodes.DocTooLarge,
                        $"图片内容过于复杂，在保证清晰可读的前提下无法压缩到{o.MaxOutputBytes / 1024}KB以内，请裁掉无关部分后重新拍摄。",
                        $"The image cannot be compressed under {o.MaxOutputBytes / 1024} KB while staying legible; crop away unrelated parts and retake it.",
                        $"≤ {Fmt.Bytes(o.MaxOutputBytes)} with shorter side ≥ {floor} px at Q ≥ {o.MinQuality}",
                        Fmt.Size(current.Width, current.Height)));
                    return Failed(findings);
                }

                var scale = Math.Max(o.StepFactor, (double)floor / shortSide);
                using var smaller = current.Resize(scale);
                var next = smaller.Decode();
                if (!ReferenceEquals(current, start))
                {
                    current.Dispose();
                }

                current = next;
            }
        }
        finally
        {
            if (!ReferenceEquals(current, start))
            {
                current.Dispose();
            }
        }
    }

    private static NormalisedImage Failed(List<Finding> findings) => new(null, 0, 0, 0, findings);
}
