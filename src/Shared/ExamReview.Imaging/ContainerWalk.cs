using System.Buffers.Binary;

namespace ExamReview.Imaging;

/// <summary>
/// Walks each container's structure (JPEG markers, PNG chunks, the RIFF size, ISO-BMFF boxes) to its end, so a
/// truncated file or one with data after its end is found before any decoder runs. Each walk answers the problem, if
/// any, a detail for logs, and where the image ends.
/// </summary>
internal static class ContainerWalk
{
    /// <summary>
    /// Walks JPEG markers from SOI to EOI, skipping segment payloads by their lengths and scanning
    /// entropy-coded data for the next real marker (FF00 is a stuffed byte, FFD0-FFD7 are restarts).
    /// </summary>
    public static (ImageFormatProblem Problem, string Detail, int End) Jpeg(ReadOnlySpan<byte> d, out int firstScan)
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

    public static (ImageFormatProblem Problem, string Detail, int End) Png(ReadOnlySpan<byte> d)
    {
        var pos = ImageFormatDetector.PngSignature.Length;
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

    public static (ImageFormatProblem Problem, string Detail, int End) Riff(ReadOnlySpan<byte> d)
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

    public static (ImageFormatProblem Problem, string Detail, int End) IsoBmff(ReadOnlySpan<byte> d)
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
