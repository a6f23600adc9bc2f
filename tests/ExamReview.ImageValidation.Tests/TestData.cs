using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;

namespace ExamReview.ImageValidation.Tests;

/// <summary>Locates the shared test data and crafts byte-level test files (PNG chunks, EXIF segments).</summary>
internal static class TestData
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>
    /// shared/testdata lives beside the repository (&lt;X&gt;/main is the repo, &lt;X&gt;/shared the data), so walk up
    /// from the test binaries until a directory contains shared/testdata.
    /// </summary>
    public static string Root => s_root.Value;

    public static string ExifOrientationDir => Path.Combine(Root, "exif-orientation");

    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/testdata not found in any ancestor of {AppContext.BaseDirectory}. The repository must be checked out " +
            "as <X>/main with the shared data at <X>/shared (shared/testdata/exif-orientation/*.jpg).");
    }

    /// <summary>A PNG chunk with a correct CRC.</summary>
    public static byte[] PngChunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>
    /// A decompression bomb: a few hundred bytes of valid PNG declaring <paramref name="width"/> ×
    /// <paramref name="height"/> pixels (8-bit grey), with a short zlib stream of zero rows.
    /// </summary>
    public static byte[] PngBomb(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // grey
        using var zlib = new MemoryStream();
        using (var z = new ZLibStream(zlib, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[64 * 1024]); // a sliver of the rows: the bomb only has to *declare* its size
        }

        return
        [
            .. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A },
            .. PngChunk("IHDR", ihdr),
            .. PngChunk("IDAT", zlib.ToArray()),
            .. PngChunk("IEND", []),
        ];
    }

    /// <summary>Inserts a PNG chunk right after IHDR.</summary>
    public static byte[] InsertPngChunk(byte[] png, string type, ReadOnlySpan<byte> data)
    {
        var ihdrEnd = 8 + 12 + 13;
        return [.. png.AsSpan(0, ihdrEnd), .. PngChunk(type, data), .. png.AsSpan(ihdrEnd)];
    }

    /// <summary>A minimal EXIF APP1 payload with just the orientation tag (big-endian TIFF).</summary>
    public static byte[] ExifOrientationPayload(int orientation)
    {
        var p = new byte[6 + 8 + 2 + 12 + 4];
        "Exif\0\0"u8.CopyTo(p);
        var t = p.AsSpan(6);
        "MM"u8.CopyTo(t);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], 42);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], 8); // IFD0 offset
        BinaryPrimitives.WriteUInt16BigEndian(t[8..], 1); // one entry
        BinaryPrimitives.WriteUInt16BigEndian(t[10..], 0x0112); // Orientation
        BinaryPrimitives.WriteUInt16BigEndian(t[12..], 3); // SHORT
        BinaryPrimitives.WriteUInt32BigEndian(t[14..], 1); // count
        BinaryPrimitives.WriteUInt16BigEndian(t[18..], (ushort)orientation);
        BinaryPrimitives.WriteUInt32BigEndian(t[22..], 0); // no next IFD
        return p;
    }

    /// <summary>Adds an EXIF orientation tag to a JPEG (APP1, after JFIF).</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation) =>
        JpegSegments.Insert(jpeg, 0xE1, ExifOrientationPayload(orientation));

    /// <summary>True if the JPEG header holds an EXIF APP1 segment.</summary>
    public static bool HasExif(byte[] jpeg) =>
        JpegSegments.ReadHeader(jpeg).Any(s => s.Marker == 0xE1 && jpeg.AsSpan(s.PayloadOffset).StartsWith("Exif\0\0"u8));

    /// <summary>Offset of the first byte of entropy-coded data (just after the SOS segment).</summary>
    public static int ScanDataOffset(byte[] jpeg)
    {
        var sos = JpegSegments.ReadHeader(jpeg)[^1];
        return sos.Offset + sos.Length;
    }

    /// <summary>Mean absolute difference of two same-sized images, after converting both to grey.</summary>
    public static double MeanAbsDiff(Image a, Image b)
    {
        using var ga = a.Colourspace(Enums.Interpretation.Bw);
        using var gb = b.Colourspace(Enums.Interpretation.Bw);
        var pa = ga.WriteToMemory<byte>();
        var pb = gb.WriteToMemory<byte>();
        var bandsA = ga.Bands;
        var bandsB = gb.Bands;
        double sum = 0;
        var n = ga.Width * ga.Height;
        for (var i = 0; i < n; i++)
        {
            sum += Math.Abs(pa[i * bandsA] - pb[i * bandsB]);
        }

        return sum / n;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
