namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>
/// Face checks of the ID photo ("ImageValidation:Face"). Every threshold is configuration; the README's
/// "Face checks" section explains where each default comes from (GA 461-2004 and the 48×33 mm exit-entry
/// portrait norms that 小二寸 shares). Shares are of the final 33:48 frame: widths of its width, heights of
/// its height, measured from the top.
/// </summary>
public sealed record FaceOptions
{
    /// <summary>Off: <see cref="PhotoTool"/> skips the face checks (e.g. a host without OpenCV's native runtime).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Directory of OpenCV's Haar cascades (Debian's <c>opencv-data</c>).</summary>
    public string CascadeDirectory { get; set; } = "/usr/share/opencv4/haarcascades";

    /// <summary>Frontal face cascade file in <see cref="CascadeDirectory"/>.</summary>
    public string FaceCascade { get; set; } = "haarcascade_frontalface_default.xml";

    /// <summary>Eye cascade file (it over-counts: candidates are filtered by place and size).</summary>
    public string EyeCascade { get; set; } = "haarcascade_eye.xml";

    /// <summary>Profile face cascade file, used only to tell a profile from "no face".</summary>
    public string ProfileCascade { get; set; } = "haarcascade_profileface.xml";

    /// <summary>Detection runs on a copy whose longer side is at most this (a full photo costs ~10× more).</summary>
    public int DetectionMaxSide { get; set; } = 480;

    /// <summary>Cascade scale step between detection window sizes.</summary>
    public double DetectionScaleStep { get; set; } = 1.1;

    /// <summary>Overlapping hits a face needs to count (higher = fewer false faces, more missed faces).</summary>
    public int FaceMinNeighbours { get; set; } = 5;

    /// <summary>Overlapping hits an eye needs to count.</summary>
    public int EyeMinNeighbours { get; set; } = 3;

    /// <summary>
    /// Faces narrower than this share of the image's shorter side are not looked for: an ID-photo face fills
    /// ≥ 40% of the width, and the smallest detection windows cost the most (0.1 instead measured ~1.4× the CPU).
    /// </summary>
    public double MinFaceShareOfShortSide { get; set; } = 0.15;

    /// <summary>A further face (both eyes found in it) counts as a second person when at least this share of the largest one's width.</summary>
    public double OtherFaceMinSizeRatio { get; set; } = 0.5;

    /// <summary>Largest roll (angle of the line through the eyes), degrees. ISO/IEC 19794-5 frontal pose: ±8°.</summary>
    public double MaxRollDegrees { get; set; } = 8;

    /// <summary>
    /// When no upright face is found, the detector retries on copies rotated by ± these angles to tell "tilted"
    /// from "no face". The frontal cascade tolerates roughly ±12° of roll, so 25° covers heads turned ~13-37°.
    /// </summary>
    public double[] TiltSearchDegrees { get; set; } = [25];

    /// <summary>Crown (top of the head, hair included) above the face box's top edge, as a share of the box height (calibrated).</summary>
    public double CrownAboveFaceBox { get; set; } = 0.52;

    /// <summary>Chin below the face box's bottom edge, as a share of the box height (calibrated).</summary>
    public double ChinBelowFaceBox { get; set; } = 0.25;

    /// <summary>Eye line below the face box's top edge when the eyes themselves are not located, share of the box height.</summary>
    public double EyeLineInFaceBox { get; set; } = 0.38;

    /// <summary>Face box width as a share of the frame width: smallest accepted.</summary>
    public double MinFaceWidthShare { get; set; } = 0.40;

    /// <summary>Face box width share a crop aims for.</summary>
    public double TargetFaceWidthShare { get; set; } = 0.50;

    /// <summary>Face box width share: largest accepted.</summary>
    public double MaxFaceWidthShare { get; set; } = 0.62;

    /// <summary>Eye line, share of the frame height from the top: highest accepted.</summary>
    public double MinEyeLineShare { get; set; } = 0.30;

    /// <summary>Eye line share a crop aims for.</summary>
    public double TargetEyeLineShare { get; set; } = 0.40;

    /// <summary>Eye line share: lowest accepted (GA 461-2004: eyes ≥ 207 of 441 px above the bottom edge = 0.531).</summary>
    public double MaxEyeLineShare { get; set; } = 0.531;

    /// <summary>Largest horizontal offset of the face centre from the frame centre, share of the frame width.</summary>
    public double MaxCentreOffsetShare { get; set; } = 0.05;

    /// <summary>
    /// How far the estimated crown may lie above the frame's top edge (share of the frame height) before the
    /// head counts as cut off: GA 461 lets tall hair be trimmed, and the crown is an estimate.
    /// </summary>
    public double CrownCutTolerance { get; set; } = 0.03;

    /// <summary>Smallest space from the estimated chin to the bottom edge, share of the frame height (exit-entry norm ≥ 7 mm of 48).</summary>
    public double MinChinMarginShare { get; set; } = 0.146;
}
