using System.Buffers.Binary;
using System.Text;

namespace ExamReview.PassMarks;

/// <summary>The bytes are not a well-formed JPEG header (no SOI, a truncated or malformed marker segment).</summary>
public sealed class JpegFormatException : FormatException
{
    public JpegFormatException()
    {
    }

    public JpegFormatException(string message)
        : base(message)
    {
    }

    public JpegFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A marker segment in a JPEG header (between SOI and the first SOS).</summary>
/// <param name="Marker">The marker byte, e.g. 0xE0 for APP0, 0xEB for APP11, 0xFE for COM.</param>
/// <param name="Offset">Offset of the 0xFF that starts the segment.</param>
/// <param name="Length">Bytes the segment occupies, marker and length field included.</param>
public readonly record struct JpegSegment(byte Marker, int Offset, int Length)
{
    /// <summary>Offset of the payload (after the 2 marker and 2 length bytes).</summary>
    public int PayloadOffset => Offset + 4;

    public int PayloadLength => Length - 4;
}

/// <summary>
/// Edits JPEG files at the marker level, in managed code and without re-encoding: listing header
/// segments, inserting an APPn or COM segment, removing one. libvips' savers cannot write arbitrary
/// application segments, and touching only the header keeps the entropy-coded data byte-identical.
/// </summary>
public static class JpegSegments
{
    /// <summary>Largest payload one segment can carry (the 16-bit length counts itself).</summary>
    public const int MaxPayloadLength = ushort.MaxValue - 2;

    /// <summary>APP11 (0xEB): unused by common camera and editor metadata.</summary>
    public const byte App11 = 0xEB;

    /// <summary>COM (0xFE): a text comment.</summary>
    public const byte Comment = 0xFE;

    /// <summary>Lists the segments from SOI up to and including the first SOS.</summary>
    /// <exception cref="JpegFormatException">The bytes are not a well-formed JPEG header.</exception>
    public static IReadOnlyList<JpegSegment> ReadHeader(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 3 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[2] != 0xFF)
        {
            throw new JpegFormatException("not a JPEG (no start-of-image marker)");
        }

        var segments = new List<JpegSegment>();
        var pos = 2;
        while (true)
        {
            if (pos + 4 > jpeg.Length || jpeg[pos] != 0xFF)
            {
                throw new JpegFormatException($"no marker segment at offset {pos}");
            }

            var start = pos;
            while (pos < jpeg.Length && jpeg[pos] == 0xFF)
            {
                pos++;
            }

            if (pos + 3 > jpeg.Length)
            {
                throw new JpegFormatException("header ends inside a marker");
            }

            var marker = jpeg[pos];
            if (marker is 0x00 or 0xD8 or 0xD9 or (>= 0xD0 and <= 0xD7) or 0x01)
            {
                throw new JpegFormatException($"unexpected marker 0x{marker:X2} in header");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(pos + 1)..]);
            var end = pos + 1 + length;
            if (length < 2 || end > jpeg.Length)
            {
                throw new JpegFormatException($"segment 0x{marker:X2} runs past the end");
            }

            segments.Add(new JpegSegment(marker, start, end - start));
            pos = end;
            if (marker == 0xDA)
            {
                return segments;
            }
        }
    }

    /// <summary>
    /// Returns a copy of <paramref name="jpeg"/> with a new segment inserted after SOI and any leading
    /// APP0 (JFIF/JFXX) segments, so a JFIF file stays JFIF-conformant (APP0 must come first).
    /// </summary>
    public static byte[] Insert(ReadOnlySpan<byte> jpeg, byte marker, ReadOnlySpan<byte> payload)
    {
        if (marker is not ((>= 0xE0 and <= 0xEF) or Comment))
        {
            throw new ArgumentOutOfRangeException(nameof(marker), "only APPn (0xE0-0xEF) and COM (0xFE) segments may be inserted");
        }

        if (payload.Length > MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), $"a JPEG segment payload is at most {MaxPayloadLength} bytes");
        }

        var header = ReadHeader(jpeg);
        var at = 2;
        foreach (var segment in header)
        {
            if (segment.Marker != 0xE0)
            {
                break;
            }

            at = segment.Offset + segment.Length;
        }

        var result = new byte[jpeg.Length + 4 + payload.Length];
        jpeg[..at].CopyTo(result);
        result[at] = 0xFF;
        result[at + 1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(at + 2), (ushort)(payload.Length + 2));
        payload.CopyTo(result.AsSpan(at + 4));
        jpeg[at..].CopyTo(result.AsSpan(at + 4 + payload.Length));
        return result;
    }

    /// <summary>Inserts a COM segment holding <paramref name="text"/> as UTF-8.</summary>
    public static byte[] InsertComment(ReadOnlySpan<byte> jpeg, string text) =>
        Insert(jpeg, Comment, Encoding.UTF8.GetBytes(text));

    /// <summary>Returns a copy of <paramref name="jpeg"/> without <paramref name="segment"/>.</summary>
    public static byte[] Remove(ReadOnlySpan<byte> jpeg, JpegSegment segment)
    {
        if (segment.Offset < 2 || segment.Length < 4 || segment.Offset + segment.Length > jpeg.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(segment));
        }

        var result = new byte[jpeg.Length - segment.Length];
        jpeg[..segment.Offset].CopyTo(result);
        jpeg[(segment.Offset + segment.Length)..].CopyTo(result.AsSpan(segment.Offset));
        return result;
    }

    /// <summary>The text of the first COM segment, or null.</summary>
    public static string? ReadComment(ReadOnlySpan<byte> jpeg)
    {
        foreach (var segment in ReadHeader(jpeg))
        {
            if (segment.Marker == Comment)
            {
                return Encoding.UTF8.GetString(jpeg.Slice(segment.PayloadOffset, segment.PayloadLength));
            }
        }

        return null;
    }
}
