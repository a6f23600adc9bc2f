using System.Buffers.Binary;

namespace ExamReview.MaterialStorage.Domain.Privacy;

/// <summary>
/// Removes the GPS IFD from an EXIF (TIFF) structure in place, keeping its length: IFD0's GPSInfo entry (0x8825)
/// goes, the entries after it move up one slot, and every byte of the GPS IFD and its values is zeroed. Nothing else
/// moves, so no other offset changes and the rest of the EXIF — the orientation that decides how the reviewer copy is
/// turned, above all — stays exactly as it was.
/// </summary>
public static class ExifGps
{
    private const ushort GpsInfoTag = 0x8825;
    private const int EntrySize = 12;

    public enum Outcome
    {
        /// <summary>A well-formed structure without a GPS IFD: nothing changed.</summary>
        NoLocation,

        /// <summary>The GPS IFD was removed.</summary>
        Removed,

        /// <summary>Offsets or counts point outside the structure: the caller drops the whole EXIF block.</summary>
        Malformed,
    }

    public static Outcome RemoveLocation(Span<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return Outcome.Malformed;
        }
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I')
        {
            little = true;
        }
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M')
        {
            little = false;
        }
        else
        {
            return Outcome.Malformed;
        }
        var reader = new Reader(little);
        if (reader.U16(tiff, 2) != 42)
        {
            return Outcome.Malformed;
        }
        var ifd0 = reader.U32(tiff, 4);
        if (!Fits(tiff, ifd0, 2))
        {
            return Outcome.Malformed;
        }
        int count = reader.U16(tiff, (int)ifd0);
        var entries = (int)ifd0 + 2;
        if (!Fits(tiff, ifd0, 2 + ((long)count * EntrySize) + 4))
        {
            return Outcome.Malformed;
        }
        var gpsIndex = -1;
        for (var i = 0; i < count; i++)
        {
            if (reader.U16(tiff, entries + (i * EntrySize)) == GpsInfoTag)
            {
                gpsIndex = i;
                break;
            }
        }
        if (gpsIndex < 0)
        {
            return Outcome.NoLocation;
        }
        var gpsIfd = reader.U32(tiff, entries + (gpsIndex * EntrySize) + 8);
        if (!ZeroIfd(tiff, gpsIfd, reader))
        {
            return Outcome.Malformed;
        }
        // Entries after the GPS pointer and the next-IFD offset move up one slot; the freed slot at the end is zeroed.
        var from = entries + ((gpsIndex + 1) * EntrySize);
        var tail = ((count - gpsIndex - 1) * EntrySize) + 4;
        tiff.Slice(from, tail).CopyTo(tiff[(from - EntrySize)..]);
        tiff.Slice(from - EntrySize + tail, EntrySize).Clear();
        reader.WriteU16(tiff, (int)ifd0, (ushort)(count - 1));
        return Outcome.Removed;
    }

    /// <summary>Zeroes an IFD and every value stored outside it; false if any of it lies outside the structure.</summary>
    private static bool ZeroIfd(Span<byte> tiff, uint offset, Reader reader)
    {
        if (!Fits(tiff, offset, 2))
        {
            return false;
        }
        int count = reader.U16(tiff, (int)offset);
        var length = 2 + ((long)count * EntrySize) + 4;
        if (!Fits(tiff, offset, length))
        {
            return false;
        }
        // Check every value's place first, so a malformed IFD changes nothing before the caller drops the block.
        var outside = new List<(int Offset, int Length)>();
        for (var i = 0; i < count; i++)
        {
            var entry = (int)offset + 2 + (i * EntrySize);
            var size = TypeSize(reader.U16(tiff, entry + 2));
            if (size == 0)
            {
                return false;
            }
            var bytes = size * (long)reader.U32(tiff, entry + 4);
            if (bytes <= 4)
            {
                continue;
            }
            var valueOffset = reader.U32(tiff, entry + 8);
            if (!Fits(tiff, valueOffset, bytes))
            {
                return false;
            }
            outside.Add(((int)valueOffset, (int)bytes));
        }
        foreach (var (at, bytes) in outside)
        {
            tiff.Slice(at, bytes).Clear();
        }
        tiff.Slice((int)offset, (int)length).Clear();
        return true;
    }

    private static bool Fits(ReadOnlySpan<byte> tiff, long offset, long length) =>
        offset >= 8 && length >= 0 && offset + length <= tiff.Length;

    /// <summary>Bytes per value of a TIFF field type; 0 for a type TIFF 6.0 does not define.</summary>
    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 => 8,
        _ => 0,
    };

    private readonly record struct Reader(bool Little)
    {
        public ushort U16(ReadOnlySpan<byte> b, int at) =>
            Little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

        public uint U32(ReadOnlySpan<byte> b, int at) =>
            Little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);

        public void WriteU16(Span<byte> b, int at, ushort value)
        {
            if (Little)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b[at..], value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(b[at..], value);
            }
        }
    }
}
