using System.Runtime.Intrinsics;

namespace ExamReview.ImageValidation.Processing;

/// <summary>The in-place blend of the watermark into decoded pixels (SIMD where available).</summary>
public sealed partial class Watermarker
{
    /// <summary>
    /// Blends the text colour into <paramref name="pixels"/> in place by the tiled mask:
    /// (a·ink + (255 − a)·pixel + 128) / 255, the 8-bit blend of libvips' ifthenelse. The mask pattern starts a
    /// third of a tile into the pattern so the first copy is not flush with the top-left corner.
    /// </summary>
    internal static void Blend(Span<byte> pixels, int width, int height, WatermarkTile tile, (byte R, byte G, byte B) ink)
    {
        int offsetX = tile.Width / 3, offsetY = tile.Height / 3;
        var rowBytes = width * 3;
        var inks = InkVectors.For(ink);
        for (var y = 0; y < height; y++)
        {
            var maskRow = tile.Alpha.AsSpan(((y + offsetY) % tile.Height) * tile.Width, tile.Width);
            var row = pixels.Slice(y * rowBytes, rowBytes);
            var x = 0;
            var m = offsetX % tile.Width;
            while (x < width)
            {
                // The mask in runs up to the tile's right edge.
                var run = Math.Min(tile.Width - m, width - x);
                BlendRun(row.Slice(x * 3, run * 3), maskRow.Slice(m, run), ink, inks);
                x += run;
                m = 0;
            }
        }
    }

    /// <summary>
    /// Blends one run: 16 pixels at a time with SIMD (chunks the mask leaves transparent are skipped), the rest
    /// one by one. Both compute the same integers: (x + 1 + (x >> 8)) >> 8 equals x / 255 for every x up to
    /// 65534, and x here is at most 255·255 + 128.
    /// </summary>
    private static void BlendRun(Span<byte> pixels, ReadOnlySpan<byte> mask, (byte R, byte G, byte B) ink, InkVectors inks)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= mask.Length; i += 16)
            {
                var alpha = Vector128.Create(mask.Slice(i, 16));
                if (alpha == Vector128<byte>.Zero)
                {
                    continue;
                }

                var block = pixels.Slice(i * 3, 48);
                BlendVector(block[..16], Vector128.Shuffle(alpha, InkVectors.Spread0), inks.Phase0);
                BlendVector(block.Slice(16, 16), Vector128.Shuffle(alpha, InkVectors.Spread1), inks.Phase1);
                BlendVector(block.Slice(32, 16), Vector128.Shuffle(alpha, InkVectors.Spread2), inks.Phase2);
            }
        }

        for (var next = mask[i..].IndexOfAnyExcept((byte)0); next >= 0; next = mask[i..].IndexOfAnyExcept((byte)0))
        {
            i += next;
            int a = mask[i], p = i * 3, keep = 255 - a;
            pixels[p] = (byte)(((a * ink.R) + (keep * pixels[p]) + 128) / 255);
            pixels[p + 1] = (byte)(((a * ink.G) + (keep * pixels[p + 1]) + 128) / 255);
            pixels[p + 2] = (byte)(((a * ink.B) + (keep * pixels[p + 2]) + 128) / 255);
            i++;
        }
    }

    /// <summary>(a·ink + (255 − a)·pixel + 128) / 255 for 16 interleaved samples, in 16-bit lanes.</summary>
    private static void BlendVector(Span<byte> samples, Vector128<byte> alpha, Vector128<byte> ink)
    {
        var pixel = Vector128.Create(samples);
        var keep = Vector128.Create((byte)255) - alpha;
        var (alphaLow, alphaHigh) = Vector128.Widen(alpha);
        var (keepLow, keepHigh) = Vector128.Widen(keep);
        var (inkLow, inkHigh) = Vector128.Widen(ink);
        var (pixelLow, pixelHigh) = Vector128.Widen(pixel);
        var rounding = Vector128.Create((ushort)128);
        var low = (alphaLow * inkLow) + (keepLow * pixelLow) + rounding;
        var high = (alphaHigh * inkHigh) + (keepHigh * pixelHigh) + rounding;
        low = Vector128.ShiftRightLogical(low + Vector128<ushort>.One + Vector128.ShiftRightLogical(low, 8), 8);
        high = Vector128.ShiftRightLogical(high + Vector128<ushort>.One + Vector128.ShiftRightLogical(high, 8), 8);
        Vector128.Narrow(low, high).CopyTo(samples);
    }

    /// <summary>
    /// The ink colour as 16-byte runs of interleaved R, G, B starting at each of the three phases a 48-byte block
    /// of 16 pixels passes through, and the shuffles that spread 16 alpha bytes over those three blocks.
    /// </summary>
    private sealed record InkVectors(Vector128<byte> Phase0, Vector128<byte> Phase1, Vector128<byte> Phase2)
    {
        public static readonly Vector128<byte> Spread0 = Vector128.Create((byte)0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5);
        public static readonly Vector128<byte> Spread1 = Vector128.Create((byte)5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10);
        public static readonly Vector128<byte> Spread2 = Vector128.Create((byte)10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15);

        public static InkVectors For((byte R, byte G, byte B) ink)
        {
            ReadOnlySpan<byte> rgb = [ink.R, ink.G, ink.B];
            Span<byte> pattern = stackalloc byte[50];
            for (var i = 0; i < pattern.Length; i++)
            {
                pattern[i] = rgb[i % 3];
            }

            return new InkVectors(Vector128.Create(pattern[..16]), Vector128.Create(pattern.Slice(16, 16)), Vector128.Create(pattern.Slice(32, 16)));
        }
    }
}
