using System.Buffers.Binary;

namespace ExamReview.Imaging;

/// <summary>Result of <see cref="ImageFormatDetector.Inspect"/>.</summary>
/// <param name="Format">Format named by the leading signature (Unknown if none).</param>
/// <param name="Problem">Why the bytes are not acceptable, or None.</param>
/// <param name="Detail">Human-readable detail for logs and exception messages.</param>
/// <param name="TrailingBytes">Bytes after the container's end marker (0 for a clean file).</param>
public readonly record struct FormatInspection(ImageFormat Format, ImageFormatProblem Problem, string Detail, int TrailingBytes)
{
    public bool IsAcceptable => Problem == ImageFormatProblem.None;
}

/// <summary>
/// Identifies images by their bytes, never by file name or declared content type, and walks the container
/// structure (JPEG markers, PNG chunks, RIFF size, ISO-BMFF boxes) so truncated files and polyglots
/// (an image with a ZIP/HTML/script appended or embedded) are refused before any decoder runs.
/// </summary>
public static class ImageFormatDetector
{
    internal static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly string[] HeifBrands =
        ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis"];

    /// <summary>Format by leading signature only (cheap; no structure check).</summary>
    public static ImageFormat Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (data.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (data.Length >= 16 && data[4..8].SequenceEqual("ftyp"u8) && IsHeifFtyp(data))
        {
            return ImageFormat.Heif;
        }

        return ImageFormat.Unknown;
    }

    /// <summary>
    /// Signature plus container walk. <paramref name="allowTrailingData"/> tolerates bytes after the end
    /// marker (phones append e.g. motion-photo video); use it only when the original bytes are discarded
    /// after re-encoding. Padding made only of 0x00/0xFF bytes is always tolerated.
    /// </summary>
    public static FormatInspection Inspect(ReadOnlySpan<byte> data, bool allowTrailingData = false)
    {
        var format = Detect(data);
        var markupScanEnd = 0;
        var (problem, detail, end) = format switch
        {
            ImageFormat.Jpeg => ContainerWalk.Jpeg(data, out markupScanEnd),
            ImageFormat.Png => ContainerWalk.Png(data),
            ImageFormat.WebP => ContainerWalk.Riff(data),
            ImageFormat.Heif => ContainerWalk.IsoBmff(data),
            _ => (ImageFormatProblem.UnknownFormat, DescribeUnknown(data), 0),
        };

        if (problem != ImageFormatProblem.None)
        {
            return new FormatInspection(format, problem, detail, 0);
        }

        var trailing = data.Length - end;
        if (trailing > 0 && !allowTrailingData && !IsPadding(data[end..]))
        {
            return new FormatInspection(format, ImageFormatProblem.TrailingData, $"{trailing} bytes follow the end of the {format} image", trailing);
        }

        var markup = format switch
        {
            ImageFormat.Jpeg => EmbeddedMarkup.Find(data[..markupScanEnd]),
            ImageFormat.Png => EmbeddedMarkup.FindInPngText(data[..end]),
            _ => null, // WebP/HEIF are only ever re-encoded, never stored or served as uploaded
        };
        if (markup is not null)
        {
            return new FormatInspection(format, ImageFormatProblem.EmbeddedMarkup, $"file embeds markup \"{markup}\"", trailing);
        }

        return new FormatInspection(format, ImageFormatProblem.None, "ok", trailing);
    }

    private static bool IsHeifFtyp(ReadOnlySpan<byte> data)
    {
        var boxSize = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), (uint)data.Length);
        // major brand at 8, minor version at 12, compatible brands from 16.
        if (IsHeifBrand(data.Slice(8, 4)))
        {
            return true;
        }

        for (var i = 16; i + 4 <= boxSize; i += 4)
        {
            if (IsHeifBrand(data.Slice(i, 4)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHeifBrand(ReadOnlySpan<byte> brand)
    {
        foreach (var b in HeifBrands)
        {
            if (brand.Length == 4 && brand[0] == b[0] && brand[1] == b[1] && brand[2] == b[2] && brand[3] == b[3])
            {
                return true;
            }
        }

        return false;
    }

    private static string DescribeUnknown(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "empty file";
        }

        var head = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
        return $"no JPEG/PNG/WebP/HEIF signature (starts with {head})";
    }

    private static bool IsPadding(ReadOnlySpan<byte> tail) => tail.IndexOfAnyExcept((byte)0x00, (byte)0xFF) < 0;
}
