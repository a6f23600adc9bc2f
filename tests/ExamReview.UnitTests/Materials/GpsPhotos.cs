using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NetVips;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// Real photos (shared/testdata/exif-orientation, rotated by EXIF) given the metadata a phone writes, byte for byte as
/// exiftool would: an EXIF block with orientation, make, a GPS IFD (39°54'27"N 116°23'30"E) and a thumbnail IFD, an XMP
/// packet repeating the position and an IPTC block naming the city — in a JPEG and in a PNG.
/// </summary>
internal static class GpsPhotos
{
    public const string XmpPosition = "exif:GPSLatitude=\"39,54.45N\"";

    public static byte[] RealJpeg(string name = "Portrait_6.jpg") => File.ReadAllBytes(Path.Combine(TestDataRoot(), "exif-orientation", name));

    /// <summary>The photo with its own EXIF replaced by one carrying GPS, plus XMP and IPTC.</summary>
    public static byte[] Jpeg(bool littleEndian, byte[]? exif = null)
    {
        var photo = RealJpeg();
        using var output = new MemoryStream();
        output.Write(photo, 0, 2);
        output.Write(Segment(0xE1, [.. "Exif\0\0"u8, .. exif ?? Exif(littleEndian, withGps: true)]));
        output.Write(Segment(0xE1, [.. "http://ns.adobe.com/xap/1.0/\0"u8, .. Encoding.UTF8.GetBytes(Xmp)]));
        output.Write(Segment(0xED, [.. "Photoshop 3.0\0"u8, .. Iptc()]));
        var at = 2;
        while (photo[at + 1] != 0xDA)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(photo.AsSpan(at + 2));
            if (!photo.AsSpan(at + 4).StartsWith("Exif\0\0"u8))
            {
                output.Write(photo, at, 2 + length);
            }
            at += 2 + length;
        }
        output.Write(photo, at, photo.Length - at);
        return output.ToArray();
    }

    /// <summary>A small PNG of the photo with an eXIf chunk carrying GPS and an XMP iTXt chunk.</summary>
    public static byte[] Png(bool littleEndian)
    {
        using var source = Image.NewFromBuffer(RealJpeg());
        using var small = source.Resize(0.05);
        var png = small.PngsaveBuffer(keep: Enums.ForeignKeep.None);
        using var output = new MemoryStream();
        output.Write(png, 0, 33); // signature + IHDR
        output.Write(PngChunk("eXIf", Exif(littleEndian, withGps: true)));
        output.Write(PngChunk("iTXt", [.. "XML:com.adobe.xmp\0\0\0\0\0"u8, .. Encoding.UTF8.GetBytes(Xmp)]));
        output.Write(png, 33, png.Length - 33);
        return output.ToArray();
    }

    /// <summary>
    /// A TIFF structure: IFD0 (Make, Orientation 6, GPSInfo, then a PrintIM entry after the GPS pointer), a GPS IFD
    /// (version, N 39/1 54/1 2700/100, E 116/1 23/1 3000/100) and IFD1 (Compression 6), values placed after their IFDs.
    /// </summary>
    public static byte[] Exif(bool littleEndian, bool withGps, uint? gpsOffsetOverride = null)
    {
        var w = new TiffWriter(littleEndian);
        w.Bytes(littleEndian ? "II"u8 : "MM"u8).U16(42).U32(8);
        var ifd0Entries = withGps ? 4 : 3;
        var ifd0End = 8 + 2 + (12 * ifd0Entries) + 4;
        var make = ifd0End; // "TestCam\0", 8 bytes
        var gps = make + 8;
        var gpsEntries = 5;
        var gpsValues = gps + 2 + (12 * gpsEntries) + 4;
        var ifd1 = withGps ? gpsValues + 48 : make + 8;
        w.U16((ushort)ifd0Entries);
        w.Entry(0x010F, 2, 8, (uint)make);
        w.Entry(0x0112, 3, 1, w.Short(6));
        if (withGps)
        {
            w.Entry(0x8825, 4, 1, gpsOffsetOverride ?? (uint)gps);
        }
        w.Entry(0xC4A5, 7, 4, "PIM\0"u8);
        w.U32((uint)ifd1);
        w.Bytes("TestCam\0"u8);
        if (withGps)
        {
            w.U16((ushort)gpsEntries);
            w.Entry(0x0000, 1, 4, [2, 3, 0, 0]);
            w.Entry(0x0001, 2, 2, "N\0\0\0"u8);
            w.Entry(0x0002, 5, 3, (uint)gpsValues);
            w.Entry(0x0003, 2, 2, "E\0\0\0"u8);
            w.Entry(0x0004, 5, 3, (uint)(gpsValues + 24));
            w.U32(0);
            foreach (var (n, d) in new (uint, uint)[] { (39, 1), (54, 1), (2700, 100), (116, 1), (23, 1), (3000, 100) })
            {
                w.U32(n).U32(d);
            }
        }
        w.U16(1).Entry(0x0103, 3, 1, w.Short(6)).U32(0);
        return w.ToArray();
    }

    /// <summary>The offset of the first scan (SOS marker) of a JPEG: from there on, the bytes are the pixels.</summary>
    public static int ScanStart(byte[] jpeg)
    {
        var at = 2;
        while (jpeg[at + 1] != 0xDA)
        {
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
        }
        return at;
    }

    private const string Xmp =
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
        "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" " + XmpPosition + " exif:GPSLongitude=\"116,23.5E\"/>" +
        "</rdf:RDF></x:xmpmeta>";

    /// <summary>A Photoshop resource block with one IPTC record: City (2:90) = 北京.</summary>
    private static byte[] Iptc()
    {
        byte[] city = [0x1C, 2, 90, 0, 6, .. Encoding.UTF8.GetBytes("北京")];
        var block = new List<byte>();
        block.AddRange("8BIM"u8.ToArray());
        block.AddRange(new byte[] { 0x04, 0x04, 0, 0 });
        block.AddRange(new byte[] { 0, 0, 0, (byte)city.Length });
        block.AddRange(city);
        if (city.Length % 2 == 1)
        {
            block.Add(0);
        }
        return [.. block];
    }

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        // An independent CRC-32 (System.IO.Compression's zlib) so the test does not trust the code under test.
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        // A gzip stream's trailer holds the CRC-32 (ISO 3309, the one PNG uses) of what was written.
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        var gz = buffer.ToArray();
        return BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8));
    }

    private static string TestDataRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"shared/testdata not found above {AppContext.BaseDirectory}.");
    }

    private sealed class TiffWriter(bool little)
    {
        private readonly List<byte> _bytes = [];

        public TiffWriter Bytes(ReadOnlySpan<byte> bytes)
        {
            _bytes.AddRange(bytes.ToArray());
            return this;
        }

        public TiffWriter U16(ushort v)
        {
            var b = new byte[2];
            if (little) { BinaryPrimitives.WriteUInt16LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt16BigEndian(b, v); }
            return Bytes(b);
        }

        public TiffWriter U32(uint v)
        {
            var b = new byte[4];
            if (little) { BinaryPrimitives.WriteUInt32LittleEndian(b, v); } else { BinaryPrimitives.WriteUInt32BigEndian(b, v); }
            return Bytes(b);
        }

        /// <summary>An inline SHORT sits in the value field's first two bytes, in the file's byte order.</summary>
        public uint Short(ushort v) => little ? v : (uint)v << 16;

        /// <summary>An entry whose value field holds <paramref name="value"/> (an offset, or an inline value laid out as in the file).</summary>
        public TiffWriter Entry(ushort tag, ushort type, uint count, uint value)
        {
            U16(tag).U16(type).U32(count);
            return U32(value);
        }

        /// <summary>An entry whose four value bytes are stored as they are (inline bytes and text).</summary>
        public TiffWriter Entry(ushort tag, ushort type, uint count, ReadOnlySpan<byte> inline)
        {
            U16(tag).U16(type).U32(count);
            return Bytes(inline);
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
