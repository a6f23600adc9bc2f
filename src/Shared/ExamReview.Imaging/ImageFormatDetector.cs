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
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Lower-case ASCII, matched case-insensitively, and only where an HTML sniffer would read them: JPEG
    // header segments (APPn/COM) and PNG ancillary chunks, never compressed pixel data. Each tag must be
    // followed by a delimiter, so a chance match in binary EXIF is below 2^-40 per byte.
    private static readonly byte[][] MarkupPatterns =
    [
        "<script"u8.ToArray(),
        "<?php"u8.ToArray(),
        "<html"u8.ToArray(),
        "<!doctype"u8.ToArray(),
        "<iframe"u8.ToArray(),
        "<body"u8.ToArray(),
        "<object"u8.ToArray(),
        "<embed"u8.ToArray(),
        "<svg"u8.ToArray(),
    ];

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
            ImageFormat.Jpeg => WalkJpeg(data, out markupScanEnd),
            ImageFormat.Png => WalkPng(data),
            ImageFormat.WebP => WalkRiff(data),
            ImageFormat.Heif => WalkIsoBmff(data),
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
            ImageFormat.Jpeg => FindMarkup(data[..markupScanEnd]),
            ImageFormat.Png => FindMarkupInPngText(data[..end]),
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

    private static string? FindMarkup(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var k = data[offset..].IndexOf((byte)'<');
            if (k < 0)
            {
                return null;
            }

            var at = offset + k;
            foreach (var pattern in MarkupPatterns)
            {
                if (StartsWithIgnoreAsciiCase(data[at..], pattern)
                    && at + pattern.Length < data.Length
                    && data[at + pattern.Length] is (byte)' ' or (byte)'>' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'/')
                {
                    return System.Text.Encoding.ASCII.GetString(pattern);
                }
            }

            offset = at + 1;
        }

        return null;
    }

    /// <summary>Scans PNG chunks other than compressed pixel data (IDAT/fdAT) for markup.</summary>
    private static string? FindMarkupInPngText(ReadOnlySpan<byte> d)
    {
        var pos = PngSignature.Length;
        while (pos + 12 <= d.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(d[pos..]);
            var type = d.Slice(pos + 4, 4);
            if (!type.SequenceEqual("IDAT"u8) && !type.SequenceEqual("fdAT"u8)
                && FindMarkup(d.Slice(pos + 8, length)) is { } markup)
            {
                return markup;
            }

            pos += 12 + length;
        }

        return null;
    }

    private static bool StartsWithIgnoreAsciiCase(ReadOnlySpan<byte> data, ReadOnlySpan<byte> lowerPattern)
    {
        if (data.Length < lowerPattern.Length)
        {
            return false;
        }

        for (var i = 0; i < lowerPattern.Length; i++)
        {
            var c = data[i];
            if (c is >= (byte)'A' and <= (byte)'Z')
            {
                c = (byte)(c + 32);
            }

            if (c != lowerPattern[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Walks JPEG markers from SOI to EOI, skipping segment payloads by their lengths and scanning
    /// entropy-coded data for the next real marker (FF00 is a stuffed byte, FFD0-FFD7 are restarts).
    /// </summary>
    internal static (ImageFormatProblem Problem, string Detail, int End) WalkJpeg(ReadOnlySpan<byte> d, out int firstScan)
    {
        firstScan = d.Length;
        var pos = 2;
        var sawFrame = false;
        var sawScan = false;
        while (true)
        {
            if (pos >= d.Length)
            {
                return (ImageFormatProblem.Truncated, "JPEG ends before its EOI marker", 0);
            }

            if (d[pos] != 0xFF)
            {
                return (ImageFormatProblem.Malformed, $"JPEG expected a marker at offset {pos}", 0);
            }

            while (pos < d.Length && d[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= d.Length)
            {
                return (ImageFormatProblem.Truncated, "JPEG ends inside a marker", 0);
            }

            var marker = d[pos++];
            if (marker == 0xD9)
            {
                return sawFrame && sawScan
                    ? (ImageFormatProblem.None, "ok", pos)
                    : (ImageFormatProblem.Malformed, "JPEG has no frame or scan before EOI", 0);
            }

            if (marker is 0x00 or 0xD8)
            {
                return (ImageFormatProblem.Malformed, $"JPEG has an invalid marker 0x{marker:X2} at offset {pos - 1}", 0);
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue; // stand-alone markers carry no length
            }

            if (pos + 2 > d.Length)
            {
                return (ImageFormatProblem.Truncated, "JPEG ends inside a segment length", 0);
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(d[pos..]);
            if (length < 2)
            {
                return (ImageFormatProblem.Malformed, $"JPEG segment 0x{marker:X2} has length {length}", 0);
            }

            if (pos + length > d.Length)
            {
                return (ImageFormatProblem.Truncated, $"JPEG segment 0x{marker:X2} runs past the end of the file", 0);
            }

            sawFrame |= marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (marker == 0xDA && !sawScan)
            {
                firstScan = pos - 2;
            }

            pos += length;
            if (marker != 0xDA)
            {
                continue;
            }

            sawScan = true;
            while (true)
            {
                var ff = d[pos..].IndexOf((byte)0xFF);
                if (ff < 0 || pos + ff + 1 >= d.Length)
                {
                    return (ImageFormatProblem.Truncated, "JPEG entropy-coded data ends without EOI", 0);
                }

                var next = d[pos + ff + 1];
                if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
                {
                    pos += ff + 2;
                    continue;
                }

                pos += ff;
                break;
            }
        }
    }

    private static (ImageFormatProblem Problem, string Detail, int End) WalkPng(ReadOnlySpan<byte> d)
    {
        var pos = PngSignature.Length;
        var first = true;
        while (true)
        {
            if (pos + 8 > d.Length)
            {
                return (ImageFormatProblem.Truncated, "PNG ends before its IEND chunk", 0);
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(d[pos..]);
            var type = d.Slice(pos + 4, 4);
            foreach (var c in type)
            {
                if (c is not (>= (byte)'A' and <= (byte)'Z') and not (>= (byte)'a' and <= (byte)'z'))
                {
                    return (ImageFormatProblem.Malformed, $"PNG chunk type at offset {pos + 4} is not ASCII letters", 0);
                }
            }

            if (first && !type.SequenceEqual("IHDR"u8))
            {
                return (ImageFormatProblem.Malformed, "PNG does not start with IHDR", 0);
            }

            first = false;
            if (length > int.MaxValue || pos + 12L + length > d.Length)
            {
                return (ImageFormatProblem.Truncated, $"PNG chunk {System.Text.Encoding.ASCII.GetString(type)} runs past the end of the file", 0);
            }

            pos += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
            {
                return (ImageFormatProblem.None, "ok", pos);
            }
        }
    }

    private static (ImageFormatProblem Problem, string Detail, int End) WalkRiff(ReadOnlySpan<byte> d)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
        var end = 8L + riffSize + (riffSize & 1);
        if (end > d.Length)
        {
            // Some writers omit the final pad byte; anything else short is a truncation.
            return end - 1 == d.Length && (riffSize & 1) == 1
                ? (ImageFormatProblem.None, "ok", d.Length)
                : (ImageFormatProblem.Truncated, "WebP is shorter than its RIFF header says", 0);
        }

        if (d.Length < 20)
        {
            return (ImageFormatProblem.Truncated, "WebP has no image chunk", 0);
        }

        var chunk = d.Slice(12, 4);
        if (!chunk.SequenceEqual("VP8 "u8) && !chunk.SequenceEqual("VP8L"u8) && !chunk.SequenceEqual("VP8X"u8))
        {
            return (ImageFormatProblem.Malformed, "WebP does not start with a VP8/VP8L/VP8X chunk", 0);
        }

        return (ImageFormatProblem.None, "ok", (int)end);
    }

    private static (ImageFormatProblem Problem, string Detail, int End) WalkIsoBmff(ReadOnlySpan<byte> d)
    {
        var pos = 0;
        var boxes = 0;
        while (pos < d.Length)
        {
            if (pos + 8 > d.Length)
            {
                return boxes > 1
                    ? (ImageFormatProblem.None, "ok", pos)
                    : (ImageFormatProblem.Truncated, "HEIF ends inside a box header", 0);
            }

            long size = BinaryPrimitives.ReadUInt32BigEndian(d[pos..]);
            var type = d.Slice(pos + 4, 4);
            foreach (var c in type)
            {
                if (c is < 0x20 or > 0x7E)
                {
                    // Not a box: whatever follows the last real box is appended data.
                    return boxes > 1
                        ? (ImageFormatProblem.None, "ok", pos)
                        : (ImageFormatProblem.Malformed, "HEIF box type is not printable", 0);
                }
            }

            var header = 8;
            if (size == 1)
            {
                if (pos + 16 > d.Length)
                {
                    return (ImageFormatProblem.Truncated, "HEIF ends inside a box header", 0);
                }

                size = (long)BinaryPrimitives.ReadUInt64BigEndian(d[(pos + 8)..]);
                header = 16;
            }
            else if (size == 0)
            {
                size = d.Length - pos; // box runs to the end of the file
            }

            if (size < header)
            {
                return (ImageFormatProblem.Malformed, "HEIF box is smaller than its header", 0);
            }

            if (pos + size > d.Length)
            {
                return (ImageFormatProblem.Truncated, $"HEIF box '{System.Text.Encoding.ASCII.GetString(type)}' runs past the end of the file", 0);
            }

            pos += (int)size;
            boxes++;
        }

        return (ImageFormatProblem.None, "ok", pos);
    }
}
