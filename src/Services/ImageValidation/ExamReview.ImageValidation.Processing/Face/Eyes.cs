using OpenCvSharp;

namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>
/// Finds the two eyes inside a face box. The eye cascade over-counts (nostrils, eyebrows, glasses rims,
/// corners of the mouth), so candidates are kept only in the band where eyes sit in a frontal face box, at
/// an eye's size, and one is taken on each side of the face's midline: the one nearest where an eye belongs.
/// </summary>
internal static class Eyes
{
    // Where eyes sit in the frontalface_default box (measured on real portraits): centres ~38% down,
    // ~27% and ~73% across; the band and sizes below leave room for pose and for the cascade's scatter.
    private const double BandTop = 0.15;
    private const double BandBottom = 0.60;
    private const double ExpectedY = 0.38;
    private const double ExpectedLeftX = 0.27;
    private const double MinSize = 0.12;
    private const double MaxSize = 0.42;

    /// <summary>Centres of the left and right eye (image coordinates of <paramref name="grey"/>), or null.</summary>
    public static (Point2d Left, Point2d Right)? FindPair(CascadeClassifier cascade, Mat grey, Rect face, int minNeighbours)
    {
        var bandTop = face.Y + (int)(face.Height * BandTop);
        var band = new Rect(face.X, bandTop, face.Width, Math.Max(1, (int)(face.Height * (BandBottom - BandTop))));
        band = band.Intersect(new Rect(0, 0, grey.Width, grey.Height));
        if (band.Width < 8 || band.Height < 8)
        {
            return null;
        }

        using var region = new Mat(grey, band);
        var minSide = Math.Max(8, (int)(face.Width * MinSize));
        var maxSide = Math.Max(minSide + 1, (int)(face.Width * MaxSize));
        var hits = cascade.DetectMultiScale(region, 1.1, minNeighbours, HaarDetectionTypes.ScaleImage, new Size(minSide, minSide), new Size(maxSide, maxSide));

        var midline = face.X + (face.Width / 2.0);
        var expectedY = face.Y + (face.Height * ExpectedY);
        Point2d? left = null, right = null;
        double leftCost = double.MaxValue, rightCost = double.MaxValue;
        foreach (var hit in hits)
        {
            var centre = new Point2d(band.X + hit.X + (hit.Width / 2.0), band.Y + hit.Y + (hit.Height / 2.0));
            var onLeft = centre.X < midline;
            var expectedX = onLeft ? face.X + (face.Width * ExpectedLeftX) : face.X + (face.Width * (1 - ExpectedLeftX));
            var cost = Math.Abs(centre.X - expectedX) + Math.Abs(centre.Y - expectedY);
            if (onLeft && cost < leftCost)
            {
                (left, leftCost) = (centre, cost);
            }
            else if (!onLeft && cost < rightCost)
            {
                (right, rightCost) = (centre, cost);
            }
        }

        return left is { } l && right is { } r ? (l, r) : null;
    }
}
