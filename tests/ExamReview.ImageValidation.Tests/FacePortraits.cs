using ExamReview.ImageValidation.Processing.Face;
using OpenCvSharp;

namespace ExamReview.ImageValidation.Tests;

/// <summary>
/// Portraits for the face checks, all derived from one real photograph (Portraits/astronaut-portrait.jpg,
/// public domain) so that a detector sees real faces. In that 380×440 photo the face box the frontal
/// cascade reports is about (137, 65, 96×96): face centre x ≈ 185, crown y ≈ 15, eyes y ≈ 102, chin y ≈ 185.
/// Each method returns a new BGR Mat the caller disposes.
/// </summary>
internal static class FacePortraits
{
    private static readonly Scalar White = new(250, 250, 250);
    private static readonly Lazy<Mat> Base = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Portraits", "astronaut-portrait.jpg");
        var mat = Cv2.ImRead(path, ImreadModes.Color);
        return mat.Empty() ? throw new FileNotFoundException("test portrait missing", path) : mat;
    });

    /// <summary>Face centred, 33:48, face box half the width: a compliant framing (384×558).</summary>
    public static Mat Centred() => Region(89, 0, 192, 279, 2.0);

    /// <summary>Face well left of centre in a wider frame (450×654): needs a crop.</summary>
    public static Mat OffCentre() => Region(80, 0, 300, 436, 1.5);

    /// <summary>Plain white 390×567.</summary>
    public static Mat Blank() => new(567, 390, MatType.CV_8UC3, White);

    /// <summary>Two centred portraits side by side (768×558).</summary>
    public static Mat TwoFaces()
    {
        using var one = Centred();
        var both = new Mat();
        Cv2.HConcat([one, one], both);
        return both;
    }

    /// <summary>The centred portrait with a dark band over both eyes (sunglasses).</summary>
    public static Mat EyesCovered()
    {
        var mat = Centred();
        Cv2.Rectangle(mat, new Rect(112, 186, 162, 36), new Scalar(25, 25, 25), -1);
        return mat;
    }

    /// <summary>The centred portrait with the right-hand eye hidden (hair or a hand over it).</summary>
    public static Mat OneEyeCovered()
    {
        var mat = Centred();
        Cv2.Rectangle(mat, new Rect(210, 184, 56, 40), new Scalar(40, 60, 90), -1);
        return mat;
    }

    /// <summary>The centred portrait upside down.</summary>
    public static Mat UpsideDown()
    {
        using var one = Centred();
        var flipped = new Mat();
        Cv2.Flip(one, flipped, FlipMode.X);
        return flipped;
    }

    /// <summary>The centred portrait turned clockwise (on screen) by <paramref name="degrees"/> about the face, white corners.</summary>
    public static Mat Tilted(double degrees)
    {
        using var one = Centred();
        using var rotation = Cv2.GetRotationMatrix2D(new Point2f(192, 226), -degrees, 1.0);
        var turned = new Mat();
        Cv2.WarpAffine(one, turned, rotation, one.Size(), InterpolationFlags.Linear, BorderTypes.Constant, White);
        return turned;
    }

    /// <summary>
    /// The centred portrait shrunk to 140×203 in the middle of a white 300×436 canvas: face ≈ 70 px wide,
    /// detectable, but a frame the norms allow around it would be narrower than 190 px.
    /// </summary>
    public static Mat Shrunk()
    {
        using var one = Centred();
        using var small = new Mat();
        Cv2.Resize(one, small, new Size(140, 203), 0, 0, InterpolationFlags.Area);
        var canvas = new Mat(436, 300, MatType.CV_8UC3, White);
        using var target = new Mat(canvas, new Rect((300 - 140) / 2, (436 - 203) / 2, 140, 203));
        small.CopyTo(target);
        return canvas;
    }

    /// <summary>Frame starting just above the eyebrows: the crown is outside the photo (384×558).</summary>
    public static Mat HeadCutOff() => Region(89, 60, 192, 279, 2.0);

    /// <summary>Face box about 64% of the width with no room to widen the frame (300×436).</summary>
    public static Mat TooClose() => Region(110, 4, 150, 218, 2.0);

    public static FacePixels Pixels(Mat bgr)
    {
        var bytes = new byte[bgr.Width * bgr.Height * 3];
        using var continuous = bgr.Clone(); // a clone is continuous: rows back to back
        continuous.AsSpan<byte>().CopyTo(bytes);
        return new FacePixels(bgr.Width, bgr.Height, bgr.Width * 3, 3, bytes);
    }

    public static byte[] Jpeg(Mat bgr) => bgr.ToBytes(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 92));

    private static Mat Region(int x, int y, int width, int height, double scale)
    {
        using var region = new Mat(Base.Value, new Rect(x, y, width, height));
        var scaled = new Mat();
        Cv2.Resize(region, scaled, new Size((int)Math.Round(width * scale), (int)Math.Round(height * scale)), 0, 0, InterpolationFlags.Lanczos4);
        return scaled;
    }
}
