using NetVips;

namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>
/// The only imaging-binding code of the face checks (NetVips): hands <see cref="FaceCheck"/> a small grey copy of
/// the upright photo and applies the crop it returns. Port this file (≈ 50 lines) when the binding changes.
/// </summary>
internal static class PhotoFaceHook
{
    /// <summary>
    /// Adds the face findings and returns the photo to go on with: the crop that frames the face, or the
    /// whole photo (a new reference either way, for the caller to dispose).
    /// </summary>
    /// <param name="check">The face check; null: none (the whole photo goes on).</param>
    /// <param name="loaded">The upright photo as loaded: 8-bit sRGB, possibly shrunk on load from the stored size.</param>
    /// <param name="frame">The stored upright size: the norms' minimum sizes are in its pixels, so the face is
    /// judged and the crop placed in them.</param>
    /// <param name="findings">Where the face findings go.</param>
    /// <param name="kept">The part of the stored photo that goes on, in its pixels (the whole frame unless cropped).</param>
    public static Image Apply(FaceCheck? check, Image loaded, PixelRect frame, List<Finding> findings, out PixelRect kept)
    {
        kept = frame;
        if (check is null)
        {
            return loaded.Copy();
        }

        // Detect on a copy at detection size: the full photo costs ~10× more and finds nothing more.
        var scale = Math.Min(1.0, (double)check.DetectionMaxSide / Math.Max(loaded.Width, loaded.Height));
        using var small = scale < 1.0 ? loaded.Resize(scale) : loaded.Copy();
        using var grey = Measure.Grey(small);
        using var bytes = grey.Cast(Enums.BandFormat.Uchar);
        var pixels = bytes.WriteToMemory<byte>(); // one band, one byte a pixel, rows packed
        var report = check.Inspect(new FacePixels(bytes.Width, bytes.Height, bytes.Width, 1, pixels), frame.Width, frame.Height);
        findings.AddRange(report.Findings);
        if (report.Crop is not { } crop)
        {
            return loaded.Copy();
        }

        // The crop is in stored pixels; the loaded copy may be smaller by (loaded / stored) on each axis.
        kept = crop;
        double sx = (double)loaded.Width / frame.Width, sy = (double)loaded.Height / frame.Height;
        var left = Math.Clamp((int)Math.Round(crop.X * sx), 0, loaded.Width - 1);
        var top = Math.Clamp((int)Math.Round(crop.Y * sy), 0, loaded.Height - 1);
        var width = Math.Clamp((int)Math.Round(crop.Width * sx), 1, loaded.Width - left);
        var height = Math.Clamp((int)Math.Round(crop.Height * sy), 1, loaded.Height - top);
        return loaded.ExtractArea(left, top, width, height);
    }
}
