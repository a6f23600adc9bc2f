namespace ExamReview.Imaging;

/// <summary>Statistics of one band (or of all bands together), from libvips' <c>stats</c>.</summary>
public readonly record struct BandStatistics(double Min, double Max, double Sum, double SumOfSquares, double Mean, double Deviation);

/// <summary>Result of <see cref="VipsImage.Statistics"/>: all bands together, then each band.</summary>
public sealed class ImageStatistics
{
    internal ImageStatistics(BandStatistics all, BandStatistics[] bands)
    {
        All = all;
        Bands = bands;
    }

    public BandStatistics All { get; }

    public IReadOnlyList<BandStatistics> Bands { get; }
}
