using System.Numerics;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Sharpness and blankness of a document, measured in one managed pass over decoded pixels.</summary>
internal static partial class Measure
{
    /// <summary>
    /// Laplacian variance where there is something to be sharp: the image is cut into tiles; tiles whose
    /// grey deviation is at least <paramref name="minTileDeviation"/> hold content (text, edges); the result is
    /// the median over those tiles of the mean squared Laplacian (the tile's Laplacian variance). Blank margins
    /// and paper therefore do not dilute the measure, so a sparse certificate and a dense form compare alike.
    /// </summary>
    /// <remarks>
    /// One pass over pixels already in memory, with no intermediate images: grey (Rec. 601 luma, as
    /// <see cref="Grey"/>), the 4-neighbour Laplacian (edges extended by copying, as libvips' conv) and the
    /// per-tile sums are computed row by row from three rolling grey rows. Tiles follow libvips' shrink: round(size
    /// / tile) tiles per axis, a last partial tile padded by repeating the edge. The figures equal those of the
    /// former libvips graph (recomb → conv → multiply → bandjoin → shrink), which a test checks, at a fraction of
    /// the cost.
    /// </remarks>
    /// <param name="pixels">Band-interleaved pixels: 8-bit with 1 band (grey) or 3+ bands (sRGB), or 1-band float grey.</param>
    /// <returns>Sharpness (0 without content), the share of content tiles, and the grey deviation of the image.</returns>
    public static (double Sharpness, double ContentFraction, double Deviation) ContentSharpness(
        ReadOnlySpan<byte> pixels, int width, int height, int bands, Enums.BandFormat format, int tile, double minTileDeviation)
    {
        if (!(format == Enums.BandFormat.Uchar || (format == Enums.BandFormat.Float && bands == 1)))
        {
            throw new ArgumentException($"ContentSharpness reads 8-bit or 1-band float pixels, not {bands}x{format}", nameof(format));
        }

        tile = Math.Max(1, Math.Min(tile, Math.Min(width, height)));
        var tilesX = Math.Max(1, (int)((width / (double)tile) + 0.5));
        var tilesY = Math.Max(1, (int)((height / (double)tile) + 0.5));
        int coveredWidth = Math.Min(width, tilesX * tile), extraColumns = Math.Max(0, (tilesX * tile) - width);
        int coveredHeight = Math.Min(height, tilesY * tile), extraRows = Math.Max(0, (tilesY * tile) - height);
        var rowBytes = width * bands * (format == Enums.BandFormat.Float ? 4 : 1);

        var rows = System.Buffers.ArrayPool<float>.Shared.Rent(width * 4);
        var sums = new double[tilesX * tilesY * 3]; // per tile: Σgrey, Σgrey², ΣLaplacian²
        var lanes = new Vector<float>[tilesX * 3]; // the same sums, per SIMD lane, for the current row of tiles
        try
        {
            var above = rows.AsSpan(0, width);
            var current = rows.AsSpan(width, width);
            var below = rows.AsSpan(2 * width, width);
            var laplacian = rows.AsSpan(3 * width, width);
            GreyRow(pixels.Slice(0, rowBytes), bands, format, current);
            current.CopyTo(above);
            for (var y = 0; y < coveredHeight; y++)
            {
                if (y + 1 < height)
                {
                    GreyRow(pixels.Slice((y + 1) * rowBytes, rowBytes), bands, format, below);
                }
                else
                {
                    current.CopyTo(below);
                }

                var weight = y == height - 1 ? 1 + extraRows : 1;
                var tileRow = sums.AsSpan((y / tile) * tilesX * 3, tilesX * 3);
                if (weight == 1 && Vector.IsHardwareAccelerated)
                {
                    AccumulateRow(above, current, below, tile, tilesX, coveredWidth, extraColumns, tileRow, lanes);
                }
                else
                {
                    LaplacianRow(above, current, below, laplacian);
                    AddRowSums(current, laplacian, tile, tilesX, coveredWidth, extraColumns, weight, tileRow);
                }

                // The vector lanes hold at most one tile's rows: fold them into the double sums at its last row.
                if ((y + 1) % tile == 0 || y + 1 == coveredHeight)
                {
                    FoldLanes(lanes, tileRow);
                }

                // Roll the three grey rows down by one without copying.
                var recycled = above;
                above = current;
                current = below;
                below = recycled;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rows);
        }

        return Summarise(sums, tile * (double)tile, minTileDeviation);
    }

    /// <summary>
    /// One row's grey, grey² and Laplacian² into each tile's sums, the Laplacian computed on the fly (no row of it
    /// is stored). Whole vectors add into per-lane accumulators (<paramref name="lanes"/>, folded once per row of
    /// tiles, so no horizontal sum per row); the image's first and last column, a tile's last few columns and
    /// the padding columns go straight into the double sums.
    /// </summary>
    private static void AccumulateRow(
        ReadOnlySpan<float> above, ReadOnlySpan<float> current, ReadOnlySpan<float> below, int tile, int tilesX, int coveredWidth, int extraColumns,
        Span<double> tileRow, Vector<float>[] lanes)
    {
        var width = current.Length;
        var last = width - 1;
        var four = new Vector<float>(4f);
        for (var tx = 0; tx < tilesX; tx++)
        {
            var from = tx * tile;
            var to = Math.Min(from + tile, coveredWidth);
            float sum = 0, sumSquares = 0, energy = 0;
            var x = from;
            if (x == 0)
            {
                var l = Laplacian(above, current, below, 0, last);
                (sum, sumSquares, energy) = (current[0], current[0] * current[0], l * l);
                x = 1;
            }

            // Whole vectors whose right neighbour exists (x + Count ≤ last).
            var vectorEnd = Math.Min(to, last) - Vector<float>.Count;
            if (x <= vectorEnd)
            {
                Vector<float> s = lanes[3 * tx], q = lanes[(3 * tx) + 1], e = lanes[(3 * tx) + 2];
                for (; x <= vectorEnd; x += Vector<float>.Count)
                {
                    var centre = new Vector<float>(current[x..]);
                    var laplacian = new Vector<float>(above[x..]) + new Vector<float>(below[x..]) + new Vector<float>(current[(x - 1)..]) + new Vector<float>(current[(x + 1)..]) - (four * centre);
                    s += centre;
                    q += centre * centre;
                    e += laplacian * laplacian;
                }

                (lanes[3 * tx], lanes[(3 * tx) + 1], lanes[(3 * tx) + 2]) = (s, q, e);
            }

            for (; x < to; x++)
            {
                float g = current[x], l = Laplacian(above, current, below, x, last);
                sum += g;
                sumSquares += g * g;
                energy += l * l;
            }

            if (tx == tilesX - 1 && extraColumns > 0)
            {
                float g = current[last], l = Laplacian(above, current, below, last, last);
                sum += extraColumns * g;
                sumSquares += extraColumns * g * g;
                energy += extraColumns * l * l;
            }

            tileRow[3 * tx] += sum;
            tileRow[(3 * tx) + 1] += sumSquares;
            tileRow[(3 * tx) + 2] += energy;
        }
    }

    /// <summary>The 4-neighbour Laplacian at one column, edges extended by copying (as <see cref="LaplacianRow"/>).</summary>
    private static float Laplacian(ReadOnlySpan<float> above, ReadOnlySpan<float> current, ReadOnlySpan<float> below, int x, int last) =>
        last == 0 ? above[0] + below[0] - (2 * current[0])
        : x == 0 ? above[0] + below[0] + current[1] - (3 * current[0])
        : x == last ? above[last] + below[last] + current[last - 1] - (3 * current[last])
        : above[x] + below[x] + current[x - 1] + current[x + 1] - (4 * current[x]);

    /// <summary>Adds the per-lane accumulators into the tiles' double sums and clears them.</summary>
    private static void FoldLanes(Vector<float>[] lanes, Span<double> tileRow)
    {
        for (var i = 0; i < lanes.Length; i++)
        {
            tileRow[i] += Vector.Sum(lanes[i]);
            lanes[i] = Vector<float>.Zero;
        }
    }

    /// <summary>One row's sums from a stored Laplacian row, weighted (the last row stands for the padding rows below it).</summary>
    private static void AddRowSums(
        ReadOnlySpan<float> current, ReadOnlySpan<float> laplacian, int tile, int tilesX, int coveredWidth, int extraColumns, int weight, Span<double> tileRow)
    {
        var width = current.Length;
        for (var tx = 0; tx < tilesX; tx++)
        {
            var from = tx * tile;
            var to = Math.Min(from + tile, coveredWidth);
            var (sum, sumSquares, energy) = SegmentSums(current[from..to], laplacian[from..to]);

            if (tx == tilesX - 1 && extraColumns > 0)
            {
                float g = current[width - 1], l = laplacian[width - 1];
                sum += extraColumns * g;
                sumSquares += extraColumns * g * g;
                energy += extraColumns * l * l;
            }

            tileRow[3 * tx] += weight * (double)sum;
            tileRow[(3 * tx) + 1] += weight * (double)sumSquares;
            tileRow[(3 * tx) + 2] += weight * (double)energy;
        }
    }

    /// <summary>The median content-tile energy, the content share and the overall deviation from per-tile sums.</summary>
    private static (double Sharpness, double ContentFraction, double Deviation) Summarise(double[] sums, double tileArea, double minTileDeviation)
    {
        var count = sums.Length / 3;
        var content = new List<double>(count);
        var minVariance = minTileDeviation * minTileDeviation;
        double sum = 0, sumSquares = 0;
        for (var i = 0; i < count; i++)
        {
            double mean = sums[3 * i] / tileArea, meanSquare = sums[(3 * i) + 1] / tileArea, energy = sums[(3 * i) + 2] / tileArea;
            sum += mean;
            sumSquares += meanSquare;
            if (meanSquare - (mean * mean) >= minVariance)
            {
                content.Add(energy);
            }
        }

        var overallMean = sum / count;
        var deviation = Math.Sqrt(Math.Max(0, (sumSquares / count) - (overallMean * overallMean)));
        if (content.Count == 0)
        {
            return (0, 0, deviation);
        }

        content.Sort();
        return (content[content.Count / 2], (double)content.Count / count, deviation);
    }

    /// <summary>Σg, Σg² and Σl² over a row segment (SIMD where available).</summary>
    private static (float Sum, float SumSquares, float Energy) SegmentSums(ReadOnlySpan<float> grey, ReadOnlySpan<float> laplacian)
    {
        var x = 0;
        float sum = 0, sumSquares = 0, energy = 0;
        if (Vector.IsHardwareAccelerated && grey.Length >= Vector<float>.Count)
        {
            Vector<float> s = Vector<float>.Zero, q = Vector<float>.Zero, e = Vector<float>.Zero;
            for (; x <= grey.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                var g = new Vector<float>(grey[x..]);
                var l = new Vector<float>(laplacian[x..]);
                s += g;
                q += g * g;
                e += l * l;
            }

            sum = Vector.Sum(s);
            sumSquares = Vector.Sum(q);
            energy = Vector.Sum(e);
        }

        for (; x < grey.Length; x++)
        {
            float g = grey[x], l = laplacian[x];
            sum += g;
            sumSquares += g * g;
            energy += l * l;
        }

        return (sum, sumSquares, energy);
    }

    private static void LaplacianRow(ReadOnlySpan<float> above, ReadOnlySpan<float> current, ReadOnlySpan<float> below, Span<float> laplacian)
    {
        var last = current.Length - 1;
        if (last == 0)
        {
            laplacian[0] = above[0] + below[0] - (2 * current[0]);
            return;
        }

        laplacian[0] = above[0] + below[0] + current[1] - (3 * current[0]);
        var x = 1;
        if (Vector.IsHardwareAccelerated)
        {
            var four = new Vector<float>(4f);
            for (; x + Vector<float>.Count <= last; x += Vector<float>.Count)
            {
                var centre = new Vector<float>(current[x..]);
                var sum = new Vector<float>(above[x..]) + new Vector<float>(below[x..]) + new Vector<float>(current[(x - 1)..]) + new Vector<float>(current[(x + 1)..]);
                (sum - (four * centre)).CopyTo(laplacian[x..]);
            }
        }

        for (; x < last; x++)
        {
            laplacian[x] = above[x] + below[x] + current[x - 1] + current[x + 1] - (4 * current[x]);
        }

        laplacian[last] = above[last] + below[last] + current[last - 1] - (3 * current[last]);
    }
}
