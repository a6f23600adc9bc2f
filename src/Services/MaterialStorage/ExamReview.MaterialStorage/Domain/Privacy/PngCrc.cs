namespace ExamReview.MaterialStorage.Domain.Privacy;

/// <summary>The CRC-32 of a PNG chunk (ISO 3309, over type and data), for a chunk whose data was edited.</summary>
public static class PngCrc
{
    private static readonly uint[] Table = BuildTable();

    public static uint Of(ReadOnlySpan<byte> typeAndData)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeAndData)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
