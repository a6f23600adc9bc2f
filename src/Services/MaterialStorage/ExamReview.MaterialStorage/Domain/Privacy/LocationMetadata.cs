using System.Buffers.Binary;
using System.Text;

namespace ExamReview.MaterialStorage.Domain.Privacy;

/// <summary>
/// Takes where a photo was taken out of an upload before it is stored and hashed, at byte level and without
/// re-encoding: the pixels (JPEG scan data, PNG image data) are copied untouched and the result is the same for the
/// same upload, so the recorded SHA-256 is the hash of what is stored and equal uploads still have equal hashes.
/// <list type="bullet">
/// <item>EXIF (JPEG APP1 <c>Exif</c>, PNG <c>eXIf</c>): the GPS IFD is removed in place (<see cref="ExifGps"/>); the
/// orientation and the rest stay. An EXIF block whose offsets do not hold together is dropped whole.</item>
/// <item>XMP (JPEG APP1, PNG <c>iTXt XML:com.adobe.xmp</c>), which can repeat the GPS position, and IPTC/Photoshop
/// blocks (JPEG APP13, PNG "Raw profile type" text), which can name the place: dropped. Nothing reads them.</item>
/// </list>
/// After a JPEG's end-of-image marker, the EXIF of an appended second picture loses its GPS in place. A file
/// whose segment structure breaks off is copied as it is from that point: no reader finds a block there either, and
/// ImageValidation refuses a file it cannot decode.
/// </summary>
public static class LocationMetadata
{
    private static readonly byte[] ExifHeader = "Exif\0\0"u8.ToArray();
    private static readonly byte[] ExifMarker = [0xFF, 0xE1];
    private static readonly byte[] XmpHeader = "http://ns.adobe.com/xap/1.0/\0"u8.ToArray();
    private static readonly byte[] ExtendedXmpHeader = "http://ns.adobe.com/xmp/extension/\0"u8.ToArray();
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The bytes to store: the upload itself (the same array) when it carries no location.</summary>
    public static byte[] Strip(byte[] content, string contentType) => contentType switch
    {
        "image/jpeg" => StripJpeg(content),
        "image/png" => StripPng(content),
        _ => throw new ArgumentException($"No location stripping for {contentType}.", nameof(contentType)),
    };

    private static byte[] StripJpeg(byte[] content)
    {
        // The copy is begun at the first change only: most uploads carry no location and are stored as they came, and
        // a copy made up front was a second large-object allocation per upload (issue 19: gen-2 collections under load).
        MemoryStream? output = null;
        try
        {
            var at = 2;
            while (at + 4 <= content.Length && content[at] == 0xFF)
            {
                var marker = content[at + 1];
                // Scan data (SOS) and everything after it are the pixels: copied untouched.
                if (marker is 0xDA or 0xD9)
                {
                    break;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(at + 2));
                if (length < 2 || at + 2 + length > content.Length)
                {
                    break;
                }
                var segment = content.AsSpan(at, 2 + length);
                var payload = segment[4..];
                if (marker == 0xE1 && payload.StartsWith(ExifHeader))
                {
                    var copy = segment.ToArray();
                    switch (ExifGps.RemoveLocation(copy.AsSpan(4 + ExifHeader.Length)))
                    {
                        case ExifGps.Outcome.Removed:
                            output = Diverge(output, content, at);
                            output.Write(copy);
                            break;
                        case ExifGps.Outcome.Malformed:
                            output = Diverge(output, content, at);
                            break;
                        default:
                            output?.Write(segment);
                            break;
                    }
                }
                else if ((marker == 0xE1 && (payload.StartsWith(XmpHeader) || payload.StartsWith(ExtendedXmpHeader))) || marker == 0xED)
                {
                    output = Diverge(output, content, at);
                }
                else
                {
                    output?.Write(segment);
                }
                at += 2 + length;
            }
            // After the picture's end a phone may append a second picture (depth or gain map, indexed by MPF offsets) with
            // EXIF of its own: its GPS goes in place, nothing changes length, so those offsets still hold. Other trailing
            // bytes stay as they are (the virus scan sees exactly what was sent after the picture).
            var end = at + 1 < content.Length && content[at + 1] == 0xDA ? EndOfImage(content, at) : -1;
            var trailer = end > 0 ? content.AsSpan(end).ToArray() : [];
            if (!RemoveLocationInPlace(trailer) && output is null)
            {
                return content;
            }
            output = Diverge(output, content, at);
            output.Write(content, at, (end > 0 ? end : content.Length) - at);
            output.Write(trailer);
            return output.ToArray();
        }
        finally
        {
            output?.Dispose();
        }
    }

    /// <summary>
    /// The copy to write the stripped file into, begun when the first change is found at <paramref name="at"/>:
    /// everything before it was kept as it is.
    /// </summary>
    private static MemoryStream Diverge(MemoryStream? output, byte[] content, int at)
    {
        if (output is not null)
        {
            return output;
        }
        var started = new MemoryStream(content.Length);
        started.Write(content, 0, at);
        return started;
    }

    /// <summary>Removes the GPS of every EXIF segment and blanks every XMP packet found in <paramref name="bytes"/>, keeping every length; true if any.</summary>
    private static bool RemoveLocationInPlace(Span<byte> bytes)
    {
        var changed = false;
        for (var i = bytes.IndexOf(ExifMarker); i >= 0 && i + 4 + ExifHeader.Length <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 2)..]);
            // Bytes that only look like a segment (its length runs past the end) are left alone.
            var fits = length >= 2 && i + 2 + length <= bytes.Length;
            if (fits && bytes[(i + 4)..].StartsWith(XmpHeader) && length >= 2 + XmpHeader.Length)
            {
                // An XMP packet cannot shrink here: its text becomes spaces (padding, no position).
                var packet = bytes.Slice(i + 4 + XmpHeader.Length, length - 2 - XmpHeader.Length);
                if (packet.ContainsAnyExcept((byte)' '))
                {
                    packet.Fill((byte)' ');
                    changed = true;
                }
            }
            else if (fits && bytes[(i + 4)..].StartsWith(ExifHeader) && length >= 2 + ExifHeader.Length)
            {
                var tiff = bytes.Slice(i + 4 + ExifHeader.Length, length - 2 - ExifHeader.Length);
                switch (ExifGps.RemoveLocation(tiff))
                {
                    case ExifGps.Outcome.Removed:
                        changed = true;
                        break;
                    case ExifGps.Outcome.Malformed:
                        tiff.Clear();
                        changed = true;
                        break;
                }
            }
            var next = bytes[(i + 2)..].IndexOf(ExifMarker);
            i = next < 0 ? -1 : i + 2 + next;
        }
        return changed;
    }

    /// <summary>
    /// The offset just past the EOI marker that ends the picture whose first scan starts at <paramref name="sos"/>, or -1.
    /// In entropy-coded data a 0xFF byte is followed by 0x00 (stuffing), a restart marker or fill; every other marker
    /// between scans (SOS, DHT, DQT, DRI, APPn, COM) carries its length and is skipped whole.
    /// </summary>
    private static int EndOfImage(byte[] content, int sos)
    {
        var i = sos;
        while (i + 1 < content.Length)
        {
            if (content[i] != 0xFF)
            {
                i++;
                continue;
            }
            var marker = content[i + 1];
            if (marker == 0xD9)
            {
                return i + 2;
            }
            if (marker is 0x00 or 0xFF or (>= 0xD0 and <= 0xD7))
            {
                i += marker == 0xFF ? 1 : 2;
                continue;
            }
            if (i + 4 > content.Length)
            {
                return -1;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(i + 2));
            if (length < 2)
            {
                return -1;
            }
            i += 2 + length;
        }
        return -1;
    }

    private static byte[] StripPng(byte[] content)
    {
        MemoryStream? output = null; // begun at the first change, as for JPEG
        try
        {
            var at = PngSignature.Length;
            while (at + 12 <= content.Length)
            {
                var length = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(at));
                if (length > int.MaxValue - 12 || at + 12 + (long)length > content.Length)
                {
                    break;
                }
                var chunk = content.AsSpan(at, 12 + (int)length);
                var type = Encoding.ASCII.GetString(chunk.Slice(4, 4));
                var data = chunk.Slice(8, (int)length);
                if (type == "eXIf")
                {
                    var copy = chunk.ToArray();
                    switch (ExifGps.RemoveLocation(copy.AsSpan(8, (int)length)))
                    {
                        case ExifGps.Outcome.Removed:
                            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(8 + (int)length), PngCrc.Of(copy.AsSpan(4, 4 + (int)length)));
                            output = Diverge(output, content, at);
                            output.Write(copy);
                            break;
                        case ExifGps.Outcome.Malformed:
                            output = Diverge(output, content, at);
                            break;
                        default:
                            output?.Write(chunk);
                            break;
                    }
                }
                else if (type is "iTXt" or "tEXt" or "zTXt" && IsMetadataText(data))
                {
                    output = Diverge(output, content, at);
                }
                else
                {
                    output?.Write(chunk);
                }
                at += chunk.Length;
                if (type == "IEND")
                {
                    break;
                }
            }
            if (output is null)
            {
                return content;
            }
            output.Write(content, at, content.Length - at);
            return output.ToArray();
        }
        finally
        {
            output?.Dispose();
        }
    }

    /// <summary>XMP, and the EXIF/IPTC/XMP copies ImageMagick and others keep as "Raw profile type …" text.</summary>
    private static bool IsMetadataText(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf((byte)0);
        var keyword = Encoding.Latin1.GetString(end < 0 ? data : data[..end]);
        return keyword == "XML:com.adobe.xmp" || keyword.StartsWith("Raw profile type", StringComparison.OrdinalIgnoreCase);
    }
}
