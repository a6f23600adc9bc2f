using ExamReview.Imaging;

namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>
/// The only imaging-binding code of the face checks: hands <see cref="FaceCheck"/> a small grey copy of the
/// upright photo and applies the crop it returns. Port this file (≈ 30 lines) when the binding changes.
/// </summary>
internal static class PhotoFaceHook
{
    /// <summary>
    /// Adds the face findings and returns the photo to go on with: the crop that frames the face, or the
    /// whole photo (a new reference either way, for the caller to dispose).
    /// </summary>
    public static VipsImage Apply(FaceCheck? check, VipsImage srgb, List<Finding> findings, out bool cropped)
    {
        int width = srgb.Width, height = srgb.Height;
        cropped = false;
        if (check is null)
        {
            return srgb.ExtractArea(0, 0, width, height);
        }

        // Detect on a copy at detection size: the full photo costs ~10× more and finds nothing more.
        var scale = Math.Min(1.0, (double)check.DetectionMaxSide / Math.Max(width, height));
        using var small = scale < 1.0 ? srgb.Resize(scale) : srgb.ExtractArea(0, 0, width, height);
        using var grey = Measure.Grey(small);
        using var bytes = grey.Cast(BandFormat.UChar);
        var pixels = bytes.ReadPixels(0, static (span, _) => span.ToArray());
        var report = check.Inspect(new FacePixels(bytes.Width, bytes.Height, bytes.Width, 1, pixels), width, height);
        findings.AddRange(report.Findings);
        if (report.Crop is not { } crop)
        {
            return srgb.ExtractArea(0, 0, width, height);
        }

        cropped = true;
        return srgb.ExtractArea(crop.X, crop.Y, crop.Width, crop.Height);
    }
}
