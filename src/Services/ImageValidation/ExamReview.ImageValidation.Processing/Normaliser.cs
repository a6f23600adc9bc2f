using ExamReview.Imaging;
using NetVips;

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
    private readonly DecodeGate _gate;

    /// <param name="options">Sizes and qualities.</param>
    /// <param name="gate">Bounds how many images decode at once; <see cref="DecodeGate.Shared"/> when null.</param>
    public Normaliser(NormaliserOptions options, DecodeGate? gate = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _gate = gate ?? DecodeGate.Shared;
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
        using var slot = _gate.Enter();
        try
        {
            using var thumbnail = UntrustedImage.Thumbnail(upload, o.MaxLongSide, o.MaxLongSide, load, out _);
            using var srgb = Intake.ToSrgb(thumbnail);
            using var start = srgb.CopyMemory(); // corrupt pixel data fails here
            return Encode(start, findings);
        }
        catch (ImagingException e)
        {
            findings.Add(Intake.Describe(e, IntakeCodes.Document, load));
            return Failed(findings);
        }
        catch (VipsException e)
        {
            findings.Add(Intake.Unreadable(IntakeCodes.Document, e.Message));
            return Failed(findings);
        }
    }

    private NormalisedImage Encode(Image start, List<Finding> findings)
    {
        var o = _options;

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
                var next = smaller.CopyMemory();
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
