using System.Buffers.Binary;

namespace ExamReview.Imaging;

/// <summary>
/// Finds HTML or script markup where a browser's content sniffer would read it, so an image that doubles as a page
/// (a polyglot) is refused before it is stored or served (<see cref="ImageFormatDetector.Inspect"/>).
/// </summary>
internal static class EmbeddedMarkup
{
    // Lower-case ASCII, matched case-insensitively, and only where an HTML sniffer would read them: JPEG
    // header segments (APPn/COM) and PNG ancillary chunks, never compressed pixel data. Each tag must be
    // followed by a delimiter, so a chance match in binary EXIF is below 2^-40 per byte.
    private static readonly byte[][] Patterns =
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

    public static string? Find(ReadOnlySpan<byte> data)
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
            foreach (var pattern in Patterns)
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
    public static string? FindInPngText(ReadOnlySpan<byte> d)
    {
        var pos = ImageFormatDetector.PngSignature.Length;
        while (pos + 12 <= d.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(d[pos..]);
            var type = d.Slice(pos + 4, 4);
            if (!type.SequenceEqual("IDAT"u8) && !type.SequenceEqual("fdAT"u8)
                && Find(d.Slice(pos + 8, length)) is { } markup)
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
}
