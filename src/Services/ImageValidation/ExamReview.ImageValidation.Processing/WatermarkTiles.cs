namespace ExamReview.ImageValidation.Processing;

/// <summary>Drawing the diagonal watermark tile from the rendered text.</summary>
public sealed partial class Watermarker
{
    /// <summary>
    /// The diagonal tile, drawn directly: each tile pixel under the rotated text samples the coverage
    /// bilinearly (as libvips' rotate would) and is faded to <paramref name="opacity"/>. Only the band of each
    /// row the text crosses is sampled — about a tenth of the tile — which is several times cheaper than the
    /// libvips graph (rotate, embed, wrap-around embed, ifthenelse) for the same picture.
    /// </summary>
    internal static WatermarkTile DiagonalTile(byte[] coverage, int width, int height, double angleDegrees, double opacity, int gap)
    {
        var theta = angleDegrees * Math.PI / 180; // anticlockwise on screen (y down)
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double absCos = Math.Abs(cos), absSin = Math.Abs(sin);
        int rotatedWidth = (int)Math.Ceiling((width * absCos) + (height * absSin)), rotatedHeight = (int)Math.Ceiling((width * absSin) + (height * absCos));
        var pitch = width + gap;
        var tileWidth = Math.Max(rotatedWidth, (int)Math.Round(pitch * absCos));
        var tileHeight = Math.Max(rotatedHeight, (int)Math.Round(pitch * absSin));
        var alpha = new byte[tileWidth * tileHeight];
        var single = new byte[tileWidth];
        double centreX = tileWidth / 2.0, centreY = tileHeight / 2.0;
        var half = tileWidth / 2;
        var paddedWidth = width + (2 * Border);
        var padded = Padded(coverage, width, height);
        for (var y = 0; y < tileHeight; y++)
        {
            // Text coordinates (u along the text, v across it) of this row's first pixel centre; each step
            // right adds (cos, −sin).
            double py = y + 0.5 - centreY, px = 0.5 - centreX;
            var u0 = (px * cos) + (py * sin) + (width / 2.0) - 0.5;
            var v0 = (py * cos) - (px * sin) + (height / 2.0) - 0.5;
            var (from, to) = Within(u0, cos, width, 0, tileWidth);
            (from, to) = Within(v0, -sin, height, from, to);
            if (from >= to)
            {
                continue;
            }

            Array.Clear(single);
            for (var x = from; x < to; x++)
            {
                double u = u0 + (x * cos), v = v0 - (x * sin);
                double floorU = Math.Floor(u), floorV = Math.Floor(v);
                int x0 = (int)floorU, y0 = (int)floorV;
                if ((uint)(x0 + Border) > (uint)(width + Border) || (uint)(y0 + Border) > (uint)(height + Border))
                {
                    continue; // all four taps outside the text: 0, as the sampling would give
                }

                double fx = u - floorU, fy = v - floorV;
                var at = ((y0 + Border) * paddedWidth) + x0 + Border;
                var top = (padded[at] * (1 - fx)) + (padded[at + 1] * fx);
                var bottom = (padded[at + paddedWidth] * (1 - fx)) + (padded[at + paddedWidth + 1] * fx);
                single[x] = (byte)Math.Round(((top * (1 - fy)) + (bottom * fy)) * opacity);
            }

            // The second copy, half a tile along (wrapping round), shows where the first is empty.
            var row = alpha.AsSpan(y * tileWidth, tileWidth);
            for (var x = from; x < to; x++)
            {
                var wrapped = x + half; // below 2 × tileWidth: one subtraction wraps it (no division per pixel)
                row[wrapped >= tileWidth ? wrapped - tileWidth : wrapped] = single[x];
            }

            for (var x = from; x < to; x++)
            {
                if (single[x] != 0)
                {
                    row[x] = single[x];
                }
            }
        }

        return new WatermarkTile(alpha, tileWidth, tileHeight);
    }

    /// <summary>Zero columns and rows around the coverage in <see cref="DiagonalTile"/>, so a tap just outside reads 0 without a bounds test.</summary>
    private const int Border = 2;

    private static byte[] Padded(byte[] coverage, int width, int height)
    {
        var paddedWidth = width + (2 * Border);
        var padded = new byte[paddedWidth * (height + (2 * Border))];
        for (var y = 0; y < height; y++)
        {
            coverage.AsSpan(y * width, width).CopyTo(padded.AsSpan(((y + Border) * paddedWidth) + Border));
        }

        return padded;
    }

    /// <summary>Narrows [from, to) to the x where f0 + x·df lies strictly between −1 and <paramref name="limit"/> (where a bilinear sample can be non-zero).</summary>
    private static (int From, int To) Within(double f0, double df, int limit, int from, int to)
    {
        if (df == 0)
        {
            return f0 > -1 && f0 < limit ? (from, to) : (0, 0);
        }

        double a = (-1 - f0) / df, b = (limit - f0) / df;
        if (a > b)
        {
            (a, b) = (b, a);
        }

        return (Math.Max(from, (int)Math.Floor(a)), Math.Min(to, (int)Math.Ceiling(b) + 1));
    }
}

/// <summary>Rendered text as coverage: Width × Height bytes, row-major.</summary>
internal sealed record TextCoverage(byte[] Pixels, int Width, int Height);

/// <summary>One repeat of the watermark's alpha pattern: Width × Height bytes, row-major.</summary>
internal sealed record WatermarkTile(byte[] Alpha, int Width, int Height);

/// <summary>
/// Rendered watermark tiles by (text, text height). A candidate's documents share a registration number and
/// often a size, so later ones skip the Pango render and rotation. Bounded by bytes: when full it starts
/// over (cheap, and never pins more than <see cref="MaxBytes"/>).
/// </summary>
internal sealed class WatermarkTileCache
{
    internal const long MaxBytes = 16L * 1024 * 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Text, int Height), WatermarkTile> _tiles = new();
    private long _bytes;

    public bool TryGet(string text, int textHeight, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out WatermarkTile tile) =>
        _tiles.TryGetValue((text, textHeight), out tile);

    public WatermarkTile Get(string text, int textHeight, Func<string, int, WatermarkTile> build)
    {
        if (_tiles.TryGetValue((text, textHeight), out var cached))
        {
            return cached;
        }

        var tile = build(text, textHeight);
        if (Interlocked.Add(ref _bytes, tile.Alpha.Length) > MaxBytes)
        {
            _tiles.Clear();
            Interlocked.Exchange(ref _bytes, tile.Alpha.Length);
        }

        _tiles[(text, textHeight)] = tile;
        return tile;
    }
}
