using System.Diagnostics;
using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Processing.Face;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace ExamReview.ImageValidation.Tests;

/// <summary>
/// Face checks on real-photo portraits (see <see cref="FacePortraits"/>), one per finding. Needs Debian's
/// opencv-data (cascades) and libgtk-3-0 (OpenCV's native runtime links it): scripts/prerequisites.sh installs both.
/// </summary>
public sealed class FaceCheckTests(ITestOutputHelper output)
{
    private static readonly FaceCheck Shared = new(new FaceOptions(), PortraitFrame.From(new PhotoOptions()));

    private FaceReport Inspect(Func<Mat> portrait, string name)
    {
        using var mat = portrait();
        var report = Shared.Inspect(FacePortraits.Pixels(mat), mat.Width, mat.Height);
        var m = report.Measurements;
        output.WriteLine($"{name} {mat.Width}x{mat.Height}: [{string.Join(", ", report.Findings.Select(f => $"{f.Code} ({f.Measured} vs {f.Threshold})"))}] " +
            $"crop {report.Crop?.ToString() ?? "none"}; faces {m.Faces}, face {m.Face}, roll {m.RollDegrees:0.#}, placement {m.Placement}, {m.DetectionMilliseconds:0.#} ms");
        return report;
    }

    private static string[] Codes(FaceReport report) => report.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Centred_frontal_portrait_passes_as_it_is()
    {
        var report = Inspect(FacePortraits.Centred, "centred");
        Assert.Empty(report.Findings);
        Assert.Null(report.Crop);
        Assert.Equal(1, report.Measurements.Faces);
        Assert.InRange(report.Measurements.RollDegrees!.Value, -8, 8);
    }

    [Fact]
    public void Off_centre_portrait_is_cropped_to_centre_the_face()
    {
        var report = Inspect(FacePortraits.OffCentre, "off-centre");
        Assert.Empty(report.Findings);
        var crop = Assert.NotNull(report.Crop);
        var face = Assert.NotNull(report.Measurements.Face);
        Assert.InRange((double)crop.Width / crop.Height, 0.68, 0.695);
        Assert.InRange(face.X + (face.Width / 2.0) - (crop.X + (crop.Width / 2.0)), -0.05 * crop.Width, 0.05 * crop.Width);
        Assert.True(crop.Width >= 190 && crop.Height >= 254);

        // The crop itself now passes as it is.
        using var whole = FacePortraits.OffCentre();
        using var cropped = new Mat(whole, new Rect(crop.X, crop.Y, crop.Width, crop.Height));
        using var copy = cropped.Clone();
        var again = Shared.Inspect(FacePortraits.Pixels(copy), copy.Width, copy.Height);
        Assert.Empty(again.Findings);
        Assert.Null(again.Crop);
    }

    [Fact]
    public void Blank_white_photo_has_no_face()
    {
        Assert.Equal([FaceFindingCodes.None], Codes(Inspect(FacePortraits.Blank, "blank")));
    }

    [Fact]
    public void Upside_down_portrait_has_no_face()
    {
        Assert.Equal([FaceFindingCodes.None], Codes(Inspect(FacePortraits.UpsideDown, "upside-down")));
    }

    [Fact]
    public void Two_portraits_side_by_side_are_two_faces()
    {
        var report = Inspect(FacePortraits.TwoFaces, "two faces");
        var finding = Assert.Single(report.Findings);
        Assert.Equal(FaceFindingCodes.Multiple, finding.Code);
        Assert.Equal("2", finding.Measured);
        Assert.Null(report.Crop);
    }

    [Fact]
    public void Covered_eyes_are_not_a_frontal_face()
    {
        var report = Inspect(FacePortraits.EyesCovered, "eyes covered");
        Assert.Contains(report.Findings, f => f.Code is FaceFindingCodes.EyesNotFound or FaceFindingCodes.None);
        Assert.Null(report.Crop);
    }

    [Fact]
    public void Half_a_face_is_a_profile()
    {
        var report = Inspect(FacePortraits.HalfFace, "half face");
        Assert.Equal([FaceFindingCodes.Profile], Codes(report));
        Assert.Null(report.Crop);
    }

    [Fact]
    public void One_hidden_eye_is_not_a_frontal_face()
    {
        var report = Inspect(FacePortraits.OneEyeCovered, "one eye covered");
        Assert.Equal([FaceFindingCodes.EyesNotFound], Codes(report));
        Assert.Null(report.Crop);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(-30)]
    [InlineData(15)]
    public void Tilted_head_is_refused(double degrees)
    {
        var report = Inspect(() => FacePortraits.Tilted(degrees), $"tilted {degrees}°");
        var finding = Assert.Single(report.Findings);
        Assert.Equal(FaceFindingCodes.Tilted, finding.Code);
        Assert.Null(report.Crop);
    }

    [Fact]
    public void Slight_tilt_within_tolerance_passes()
    {
        var report = Inspect(() => FacePortraits.Tilted(4), "tilted 4°");
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Portrait_shrunk_in_a_white_canvas_is_too_small()
    {
        var report = Inspect(FacePortraits.Shrunk, "shrunk");
        Assert.Equal([FaceFindingCodes.TooSmall], Codes(report));
    }

    [Fact]
    public void Crown_outside_the_photo_is_cut_off()
    {
        Assert.Equal([FaceFindingCodes.CutOff], Codes(Inspect(FacePortraits.HeadCutOff, "head cut off")));
    }

    [Fact]
    public void Face_filling_the_frame_is_too_large()
    {
        Assert.Equal([FaceFindingCodes.TooLarge], Codes(Inspect(FacePortraits.TooClose, "too close")));
    }

    [Fact]
    public void Every_finding_is_bilingual_Chinese_first()
    {
        var findings = new[] { FacePortraits.Blank(), FacePortraits.TwoFaces(), FacePortraits.Shrunk(), FacePortraits.HeadCutOff(), FacePortraits.Tilted(30) }
            .SelectMany(m => { using (m) { return Shared.Inspect(FacePortraits.Pixels(m), m.Width, m.Height).Findings; } })
            .ToList();
        Assert.Equal(5, findings.Count);
        foreach (var f in findings)
        {
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}", f.MessageZh);
            Assert.Matches("^[A-Z]", f.MessageEn);
            Assert.False(string.IsNullOrWhiteSpace(f.Threshold));
            Assert.False(string.IsNullOrWhiteSpace(f.Measured));
        }
    }

    [Fact]
    public void Detection_on_a_large_photo_runs_on_a_downscaled_copy()
    {
        using var small = FacePortraits.Centred();
        using var large = new Mat();
        Cv2.Resize(small, large, new Size(1240, 1802), 0, 0, InterpolationFlags.Cubic);
        var pixels = FacePortraits.Pixels(large);
        Shared.Inspect(pixels, large.Width, large.Height); // warm
        var clock = Stopwatch.StartNew();
        var report = Shared.Inspect(pixels, large.Width, large.Height);
        output.WriteLine($"1240x1802 BGR: {clock.Elapsed.TotalMilliseconds:0.#} ms (detection {report.Measurements.DetectionMilliseconds:0.#} ms)");
        Assert.Empty(report.Findings);
        Assert.InRange(report.Measurements.Face!.Value.Width, 0.4 * 1240, 0.62 * 1240);
    }
}
