namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>A rectangle in pixels of the (upright) photo.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;
}

/// <summary>The frame the photo must end up in: proportions and minimum pixel size (from <see cref="PhotoOptions"/>).</summary>
public sealed record PortraitFrame(double AspectRatio, double AspectTolerance, int MinWidth, int MinHeight)
{
    public static PortraitFrame From(PhotoOptions photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        return new PortraitFrame(photo.AspectRatio, photo.AspectTolerance, photo.MinWidth, photo.MinHeight);
    }
}

/// <summary>Where the face is, in photo pixels: the detector's face box and the eye line.</summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height, double EyeLineY)
{
    public double CentreX => X + (Width / 2);
}

/// <summary>How the face sits in a frame, as shares of that frame (see <see cref="FaceOptions"/>).</summary>
public readonly record struct FacePlacement(double FaceWidthShare, double EyeLineShare, double CentreOffsetShare, double CrownMarginShare, double ChinMarginShare);

/// <summary>Outcome of <see cref="PortraitGeometry.Fit"/>: a crop that frames the face (null: keep the photo as it is) or findings.</summary>
public sealed record GeometryResult(PixelRect? Crop, FacePlacement Placement, IReadOnlyList<Finding> Findings);

/// <summary>
/// Pure geometry of the ID-photo norms: does the face already sit right in the photo; if not, is there a
/// crop of the right proportions, inside the photo and at least the minimum size, that puts it right
/// (mechanical); if not, which norm cannot be met (a finding). Never enlarges and never pads.
/// </summary>
public sealed class PortraitGeometry(FaceOptions options, PortraitFrame frame)
{
    private const double ShareStep = 0.01;

    public GeometryResult Fit(int imageWidth, int imageHeight, FaceBox face)
    {
        var o = options;
        var whole = new PixelRect(0, 0, imageWidth, imageHeight);
        var wholePlacement = Place(face, whole);
        var ratio = (double)imageWidth / imageHeight;
        if (Math.Abs(ratio - frame.AspectRatio) <= frame.AspectTolerance && Acceptable(wholePlacement))
        {
            return new GeometryResult(null, wholePlacement, []);
        }

        // The photo itself cuts the head: no crop brings the crown or chin back.
        var crown = face.Y - (o.CrownAboveFaceBox * face.Height);
        var chin = face.Y + face.Height + (o.ChinBelowFaceBox * face.Height);
        var targetHeight = face.Width / o.TargetFaceWidthShare / frame.AspectRatio;
        if (crown < -o.CrownCutTolerance * targetHeight || chin > imageHeight)
        {
            var where = crown < -o.CrownCutTolerance * targetHeight
                ? $"crown ≈ {Fmt.Num(-crown)} px above the top edge"
                : $"chin ≈ {Fmt.Num(chin - imageHeight)} px below the bottom edge";
            return new GeometryResult(null, wholePlacement, [FaceFindings.CutOff(where)]);
        }

        // Face too few pixels: even the widest frame the norms allow is below the minimum size.
        var neededFace = Math.Max(frame.MinWidth, frame.MinHeight * frame.AspectRatio) * o.MinFaceWidthShare;
        if (face.Width < neededFace)
        {
            return new GeometryResult(null, wholePlacement, [FaceFindings.TooSmall(face.Width, neededFace)]);
        }

        // Try face shares from the target outwards; the first frame that fits inside the photo wins.
        foreach (var share in SharesFromTarget())
        {
            if (Frame(face, share, imageWidth, imageHeight) is { } rect && Acceptable(Place(face, rect)))
            {
                return new GeometryResult(rect, Place(face, rect), []);
            }
        }

        return new GeometryResult(null, wholePlacement, [Diagnose(face, imageWidth, imageHeight)]);
    }

    /// <summary>The face's placement in <paramref name="rect"/>.</summary>
    public FacePlacement Place(FaceBox face, PixelRect rect)
    {
        var o = options;
        var crown = face.Y - (o.CrownAboveFaceBox * face.Height);
        var chin = face.Y + face.Height + (o.ChinBelowFaceBox * face.Height);
        return new FacePlacement(
            face.Width / rect.Width,
            (face.EyeLineY - rect.Y) / rect.Height,
            (face.CentreX - (rect.X + (rect.Width / 2.0))) / rect.Width,
            (crown - rect.Y) / rect.Height,
            (rect.Bottom - chin) / rect.Height);
    }

    private bool Acceptable(FacePlacement p)
    {
        var o = options;
        return p.FaceWidthShare >= o.MinFaceWidthShare && p.FaceWidthShare <= o.MaxFaceWidthShare
            && p.EyeLineShare >= o.MinEyeLineShare && p.EyeLineShare <= o.MaxEyeLineShare
            && Math.Abs(p.CentreOffsetShare) <= o.MaxCentreOffsetShare
            && p.CrownMarginShare >= -o.CrownCutTolerance
            && p.ChinMarginShare >= o.MinChinMarginShare;
    }

    private IEnumerable<double> SharesFromTarget()
    {
        var o = options;
        yield return o.TargetFaceWidthShare;
        for (var k = 1; ; k++)
        {
            var up = o.TargetFaceWidthShare + (k * ShareStep);
            var down = o.TargetFaceWidthShare - (k * ShareStep);
            if (up > o.MaxFaceWidthShare && down < o.MinFaceWidthShare)
            {
                yield break;
            }

            if (up <= o.MaxFaceWidthShare)
            {
                yield return up; // a tighter frame is likelier to fit inside the photo
            }

            if (down >= o.MinFaceWidthShare)
            {
                yield return down;
            }
        }
    }

    /// <summary>
    /// The frame at a face share: centred on the face, eye line at the target, then shifted (not resized) to
    /// lie inside the photo; null when it is larger than the photo or smaller than the minimum size.
    /// </summary>
    private PixelRect? Frame(FaceBox face, double share, int imageWidth, int imageHeight)
    {
        var width = (int)Math.Round(face.Width / share);
        var height = (int)Math.Round(width / frame.AspectRatio);
        if (width > imageWidth || height > imageHeight || width < frame.MinWidth || height < frame.MinHeight)
        {
            return null;
        }

        var left = (int)Math.Round(face.CentreX - (width / 2.0));
        var top = (int)Math.Round(face.EyeLineY - (options.TargetEyeLineShare * height));
        left = Math.Clamp(left, 0, imageWidth - width);
        top = Math.Clamp(top, 0, imageHeight - height);
        return new PixelRect(left, top, width, height);
    }

    /// <summary>No frame fits: report the norm that the best-effort frame (tightest allowed, shifted inside) misses.</summary>
    private Finding Diagnose(FaceBox face, int imageWidth, int imageHeight)
    {
        var o = options;
        var width = face.Width / o.MaxFaceWidthShare;
        var height = width / frame.AspectRatio;
        if (width > imageWidth || height > imageHeight)
        {
            var fit = Math.Min(imageWidth, imageHeight * frame.AspectRatio);
            return FaceFindings.TooLarge(face.Width / fit, o.MaxFaceWidthShare);
        }

        var left = Math.Clamp(face.CentreX - (width / 2), 0, imageWidth - width);
        var top = Math.Clamp(face.EyeLineY - (o.TargetEyeLineShare * height), 0, imageHeight - height);
        var p = Place(face, new PixelRect((int)left, (int)top, (int)Math.Round(width), (int)Math.Round(height)));
        if (p.CrownMarginShare < -o.CrownCutTolerance)
        {
            return FaceFindings.CutOff($"crown {Fmt.Num(-p.CrownMarginShare * 100)}% of the height above the top edge");
        }

        if (p.ChinMarginShare < 0)
        {
            return FaceFindings.CutOff($"chin {Fmt.Num(-p.ChinMarginShare * 100)}% of the height below the bottom edge");
        }

        return FaceFindings.Position(
            $"|centre offset| ≤ {Fmt.Num(o.MaxCentreOffsetShare * 100)}%, eye line {Fmt.Num(o.MinEyeLineShare * 100)}-{Fmt.Num(o.MaxEyeLineShare * 100)}% from the top, chin margin ≥ {Fmt.Num(o.MinChinMarginShare * 100)}%",
            $"centre offset {Fmt.Num(p.CentreOffsetShare * 100)}%, eye line {Fmt.Num(p.EyeLineShare * 100)}%, chin margin {Fmt.Num(p.ChinMarginShare * 100)}%");
    }
}
