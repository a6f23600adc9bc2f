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
    static FacePortraits() => NativeCodecs.LoadBeforeOpenCv(); // before this class's first OpenCV call

    private static readonly Scalar White = new(250, 250, 250);
    private static readonly Lazy<Mat> Base = new(() => Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Portraits", "astronaut-portrait.jpg"))));

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

    /// <summary>
    /// Only the left half of the centred portrait (everything right of the nose white): one eye, one cheek and
    /// the profile line, which is what the profile cascade knows. There is no real profile photograph among
    /// the public-domain test images.
    /// </summary>
    public static Mat HalfFace()
    {
        var mat = Centred();
        Cv2.Rectangle(mat, new Rect(200, 0, 184, 558), White, -1);
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

    /// <summary>
    /// The centred portrait 42 px lower on a white 384×600 canvas, with the strips the photo tool reads as
    /// background (top 6%, left and right 8% down to 40%) white: a real face that passes every photo check.
    /// </summary>
    public static Mat OnWhite()
    {
        using var one = Centred();
        var canvas = new Mat(600, 384, MatType.CV_8UC3, White);
        using (var target = new Mat(canvas, new Rect(0, 42, 384, 558)))
        {
            one.CopyTo(target);
        }

        Cv2.Rectangle(canvas, new Rect(0, 0, 34, 250), White, -1);
        Cv2.Rectangle(canvas, new Rect(384 - 34, 0, 34, 250), White, -1);
        return canvas;
    }

    /// <summary><see cref="OnWhite"/> as a JPEG, for the photo tool and the endpoints.</summary>
    public static byte[] OnWhiteJpeg()
    {
        using var mat = OnWhite();
        return Jpeg(mat);
    }

    public static FacePixels Pixels(Mat bgr)
    {
        var bytes = new byte[bgr.Width * bgr.Height * 3];
        using var continuous = bgr.Clone(); // a clone is continuous: rows back to back
        continuous.AsSpan<byte>().CopyTo(bytes);
        return new FacePixels(bgr.Width, bgr.Height, bgr.Width * 3, 3, bytes);
    }

    /// <summary>
    /// JPEG through libvips (NetVips), never OpenCV's codecs: OpenCV's official runtime carries its own libjpeg,
    /// which cannot share a process with the system one (see <see cref="NativeCodecs"/>; imread returned empty,
    /// imencode crashed). FaceCheck itself only ever sees pixels.
    /// </summary>
    public static byte[] Jpeg(Mat bgr)
    {
        using var image = ToVips(bgr);
        return TestImages.Jpeg(image, quality: 92);
    }

    /// <summary>The same picture as an sRGB libvips image (for other formats than JPEG).</summary>
    public static NetVips.Image ToVips(Mat bgr)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB); // a new Mat is continuous: rows back to back
        return TestImages.FromPixels(rgb.AsSpan<byte>().ToArray(), rgb.Width, rgb.Height, 3);
    }

    /// <summary>Decodes with libvips into a BGR Mat (see <see cref="Jpeg"/>).</summary>
    public static Mat Decode(byte[] jpeg)
    {
        using var image = NetVips.Image.NewFromBuffer(jpeg);
        if (image.Bands != 3 || image.Format != NetVips.Enums.BandFormat.Uchar)
        {
            throw new InvalidDataException($"expected an 8-bit RGB JPEG, got {image.Bands} bands of {image.Format}");
        }

        var rgb = image.WriteToMemory<byte>();
        using var source = new Mat(image.Height, image.Width, MatType.CV_8UC3);
        rgb.CopyTo(source.AsSpan<byte>());
        var bgr = new Mat();
        Cv2.CvtColor(source, bgr, ColorConversionCodes.RGB2BGR);
        return bgr;
    }

    private static Mat Region(int x, int y, int width, int height, double scale)
    {
        using var region = new Mat(Base.Value, new Rect(x, y, width, height));
        var scaled = new Mat();
        Cv2.Resize(region, scaled, new Size((int)Math.Round(width * scale), (int)Math.Round(height * scale)), 0, 0, InterpolationFlags.Lanczos4);
        return scaled;
    }
}
