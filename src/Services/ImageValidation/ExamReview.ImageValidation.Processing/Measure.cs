using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Image measurements built from libvips operations (the photo tool's, and the reduced document path).</summary>
internal static partial class Measure
{
    private static readonly double[] Rec601Luma = [0.299, 0.587, 0.114];

    /// <summary>
    /// Variance of the 4-neighbour Laplacian of a grey image: edges and fine texture give large responses,
    /// defocus and motion blur remove them. The classic no-reference sharpness measure.
    /// </summary>
    public static double LaplacianVariance(Image grey)
    {
        using var mask = Image.NewFromArray(new double[,] { { 0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } });
        using var response = grey.Conv(mask, precision: Enums.Precision.Float);
        var deviation = response.Deviate();
        return deviation * deviation;
    }

    /// <summary>
    /// One-band grey (0-255, float) of an 8-bit sRGB image: Rec. 601 luma by band recombination. Much cheaper
    /// than a colourspace conversion to B_W (which goes through XYZ/Lab), and exact enough for exposure,
    /// blankness and sharpness.
    /// </summary>
    public static Image Grey(Image srgb)
    {
        if (srgb.Bands == 1)
        {
            return srgb.Cast(Enums.BandFormat.Float);
        }

        using var weights = Image.NewFromArray(new[] { Rec601Luma });
        using var rgb = srgb.Bands == 3 ? null : srgb.ExtractBand(0, n: 3);
        return (rgb ?? srgb).Recomb(weights);
    }

    /// <summary>Mean L*, deviation of L*, and mean C* of a region (CIE LCh).</summary>
    public static (double Lightness, double LightnessDeviation, double Chroma) LightnessAndChroma(Image srgb, int left, int top, int width, int height)
    {
        using var region = srgb.ExtractArea(left, top, width, height);
        using var lch = region.Colourspace(Enums.Interpretation.Lch);

        // stats: one row for all bands, then one per band; columns min, max, sum, sum², mean, deviation, ...
        using var stats = lch.Stats();
        var values = stats.WriteToMemory<double>();
        var columns = stats.Width;
        return (values[columns + 4], values[columns + 5], values[(2 * columns) + 4]);
    }
}
