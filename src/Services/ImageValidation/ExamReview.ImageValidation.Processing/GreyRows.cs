using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Rows of Rec. 601 grey from decoded pixels for <see cref="Measure.ContentSharpness"/> (SIMD where available).</summary>
internal static partial class Measure
{
    private static void GreyRow(ReadOnlySpan<byte> row, int bands, Enums.BandFormat format, Span<float> grey)
    {
        if (format == Enums.BandFormat.Float)
        {
            MemoryMarshal.Cast<byte, float>(row).CopyTo(grey);
        }
        else if (bands == 1)
        {
            for (var x = 0; x < grey.Length; x++)
            {
                grey[x] = row[x];
            }
        }
        else
        {
            // Rec. 601 luma; the reference-based loop avoids a bounds check per sample on this hot path.
            const float R = 0.299f, G = 0.587f, B = 0.114f;
            ref var source = ref MemoryMarshal.GetReference(row);
            ref var target = ref MemoryMarshal.GetReference(grey);
            if (row.Length < ((grey.Length - 1) * bands) + 3)
            {
                throw new ArgumentException("row shorter than its width", nameof(row));
            }

            nint start = 0;
            if (bands == 3 && Avx2.IsSupported)
            {
                start = GreyRowRgb8Avx2(row, grey);
            }
            else if (bands == 3 && Vector128.IsHardwareAccelerated)
            {
                start = GreyRowRgb16(row, grey);
            }

            for (nint x = start, i = start * bands; x < grey.Length; x++, i += bands)
            {
                Unsafe.Add(ref target, x) = (R * Unsafe.Add(ref source, i)) + (G * Unsafe.Add(ref source, i + 1)) + (B * Unsafe.Add(ref source, i + 2));
            }
        }
    }

    // Byte shuffles that gather the R, G and B samples of 16 interleaved RGB pixels (48 bytes, read as three
    // 16-byte blocks) into one 16-byte vector each; index 255 (out of range) yields 0, so the three partial
    // gathers of a band combine with OR.
    private static readonly Vector128<byte> R0 = Vector128.Create((byte)0, 3, 6, 9, 12, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> R1 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 2, 5, 8, 11, 14, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> R2 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 4, 7, 10, 13);
    private static readonly Vector128<byte> G0 = Vector128.Create((byte)1, 4, 7, 10, 13, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> G1 = Vector128.Create((byte)255, 255, 255, 255, 255, 0, 3, 6, 9, 12, 15, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> G2 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 2, 5, 8, 11, 14);
    private static readonly Vector128<byte> B0 = Vector128.Create((byte)2, 5, 8, 11, 14, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> B1 = Vector128.Create((byte)255, 255, 255, 255, 255, 1, 4, 7, 10, 13, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> B2 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 3, 6, 9, 12, 15);

    // In-lane byte shuffles (vpshufb) that widen the R, G or B samples of 4 RGB pixels (the first 12 bytes of each
    // 128-bit lane) to 32-bit integers; index 255 yields 0.
    private static readonly Vector256<byte> RedInts = Vector256.Create((byte)0, 255, 255, 255, 3, 255, 255, 255, 6, 255, 255, 255, 9, 255, 255, 255, 0, 255, 255, 255, 3, 255, 255, 255, 6, 255, 255, 255, 9, 255, 255, 255);
    private static readonly Vector256<byte> GreenInts = Vector256.Create((byte)1, 255, 255, 255, 4, 255, 255, 255, 7, 255, 255, 255, 10, 255, 255, 255, 1, 255, 255, 255, 4, 255, 255, 255, 7, 255, 255, 255, 10, 255, 255, 255);
    private static readonly Vector256<byte> BlueInts = Vector256.Create((byte)2, 255, 255, 255, 5, 255, 255, 255, 8, 255, 255, 255, 11, 255, 255, 255, 2, 255, 255, 255, 5, 255, 255, 255, 8, 255, 255, 255, 11, 255, 255, 255);

    /// <summary>
    /// Rec. 601 luma of whole blocks of 8 RGB pixels with AVX2 (pixels 0-3 in the low lane, 4-7 in the high one,
    /// one shuffle per band straight to integers); returns how many pixels it did. Same float operations in the
    /// same order as the scalar loop, so the same results.
    /// </summary>
    private static nint GreyRowRgb8Avx2(ReadOnlySpan<byte> row, Span<float> grey)
    {
        var r = Vector256.Create(0.299f);
        var g = Vector256.Create(0.587f);
        var b = Vector256.Create(0.114f);
        nint x = 0;
        for (; x + 8 <= grey.Length && (x * 3) + 28 <= row.Length; x += 8)
        {
            var at = (int)(x * 3);
            var pixels = Vector256.Create(Vector128.Create(row.Slice(at, 16)), Vector128.Create(row.Slice(at + 12, 16)));
            var red = Avx.ConvertToVector256Single(Avx2.Shuffle(pixels, RedInts).AsInt32());
            var green = Avx.ConvertToVector256Single(Avx2.Shuffle(pixels, GreenInts).AsInt32());
            var blue = Avx.ConvertToVector256Single(Avx2.Shuffle(pixels, BlueInts).AsInt32());
            ((r * red) + (g * green) + (b * blue)).CopyTo(grey.Slice((int)x, 8));
        }

        return x;
    }

    /// <summary>Rec. 601 luma of whole blocks of 16 RGB pixels with SIMD; returns how many pixels it did.</summary>
    private static nint GreyRowRgb16(ReadOnlySpan<byte> row, Span<float> grey)
    {
        var r = Vector128.Create(0.299f);
        var g = Vector128.Create(0.587f);
        var b = Vector128.Create(0.114f);
        nint x = 0;
        for (; x + 16 <= grey.Length; x += 16)
        {
            var block = row.Slice((int)(x * 3), 48);
            var v0 = Vector128.Create(block[..16]);
            var v1 = Vector128.Create(block.Slice(16, 16));
            var v2 = Vector128.Create(block.Slice(32, 16));
            var red = Vector128.Shuffle(v0, R0) | Vector128.Shuffle(v1, R1) | Vector128.Shuffle(v2, R2);
            var green = Vector128.Shuffle(v0, G0) | Vector128.Shuffle(v1, G1) | Vector128.Shuffle(v2, G2);
            var blue = Vector128.Shuffle(v0, B0) | Vector128.Shuffle(v1, B1) | Vector128.Shuffle(v2, B2);
            var target = grey.Slice((int)x, 16);
            Luma(red, green, blue, r, g, b, target);
        }

        return x;
    }

    private static void Luma(Vector128<byte> red, Vector128<byte> green, Vector128<byte> blue, Vector128<float> r, Vector128<float> g, Vector128<float> b, Span<float> target)
    {
        var (redLow, redHigh) = Vector128.Widen(red);
        var (greenLow, greenHigh) = Vector128.Widen(green);
        var (blueLow, blueHigh) = Vector128.Widen(blue);
        Quarter(redLow, greenLow, blueLow, r, g, b, target[..8]);
        Quarter(redHigh, greenHigh, blueHigh, r, g, b, target[8..]);
    }

    private static void Quarter(Vector128<ushort> red, Vector128<ushort> green, Vector128<ushort> blue, Vector128<float> r, Vector128<float> g, Vector128<float> b, Span<float> target)
    {
        var (redLow, redHigh) = Vector128.Widen(red);
        var (greenLow, greenHigh) = Vector128.Widen(green);
        var (blueLow, blueHigh) = Vector128.Widen(blue);
        var low = (r * Vector128.ConvertToSingle(redLow.AsInt32())) + (g * Vector128.ConvertToSingle(greenLow.AsInt32())) + (b * Vector128.ConvertToSingle(blueLow.AsInt32()));
        var high = (r * Vector128.ConvertToSingle(redHigh.AsInt32())) + (g * Vector128.ConvertToSingle(greenHigh.AsInt32())) + (b * Vector128.ConvertToSingle(blueHigh.AsInt32()));
        low.CopyTo(target);
        high.CopyTo(target[4..]);
    }
}
