using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Processing.Face;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>The framing rules alone, on face boxes given in numbers (no detector involved).</summary>
public sealed class PortraitGeometryTests
{
    private static readonly PortraitGeometry Geometry = new(new FaceOptions(), PortraitFrame.From(new PhotoOptions()));

    // A face box of width w whose eye line is 0.38 w below its top (the calibration's proportions).
    private static FaceBox Face(double centreX, double top, double width) => new(centreX - (width / 2), top, width, width, top + (0.38 * width));

    [Fact]
    public void A_well_framed_photo_is_kept_as_it_is()
    {
        // 390×567: face half the width, eyes 40% down, centred.
        var result = Geometry.Fit(390, 567, Face(195, 227 - 74, 195));
        Assert.Empty(result.Findings);
        Assert.Null(result.Crop);
        Assert.InRange(result.Placement.EyeLineShare, 0.39, 0.41);
    }

    [Fact]
    public void A_wide_photo_with_the_face_to_one_side_is_cropped_to_33_48_around_it()
    {
        // 1600×1200 landscape, face 300 px wide at x = 500.
        var result = Geometry.Fit(1600, 1200, Face(500, 300, 300));
        Assert.Empty(result.Findings);
        var crop = Assert.NotNull(result.Crop);
        Assert.Equal(600, crop.Width); // face share 0.50
        Assert.Equal(873, crop.Height); // 600 / (33/48)
        Assert.Equal(200, crop.X); // centred on x = 500
        Assert.InRange(result.Placement.EyeLineShare, 0.39, 0.41);
        Assert.InRange(Math.Abs(result.Placement.CentreOffsetShare), 0, 0.001);
    }

    [Fact]
    public void A_face_at_the_edge_that_no_frame_can_centre_is_a_position_finding()
    {
        // The face's centre 60 px from the left edge: any frame wide enough for it sticks out on the left.
        var result = Geometry.Fit(800, 1200, Face(60, 300, 100));
        Assert.Null(result.Crop);
        Assert.Equal(FaceFindingCodes.Position, Assert.Single(result.Findings).Code);
    }

    [Fact]
    public void A_crown_above_the_top_edge_is_cut_off_and_a_chin_below_the_bottom_too()
    {
        Assert.Equal(FaceFindingCodes.CutOff, Assert.Single(Geometry.Fit(600, 873, Face(300, 20, 300)).Findings).Code);
        Assert.Equal(FaceFindingCodes.CutOff, Assert.Single(Geometry.Fit(600, 873, Face(300, 600, 300)).Findings).Code);
    }

    [Fact]
    public void Too_few_pixels_for_the_smallest_frame_is_too_small_and_a_face_filling_the_photo_is_too_large()
    {
        var small = Assert.Single(Geometry.Fit(1000, 1400, Face(500, 500, 70)).Findings);
        Assert.Equal(FaceFindingCodes.TooSmall, small.Code);
        Assert.Equal("face width ≥ 76 px", small.Threshold); // 0.40 × 190

        var large = Assert.Single(Geometry.Fit(400, 582, Face(200, 170, 300)).Findings); // 75% of the width, head inside
        Assert.Equal(FaceFindingCodes.TooLarge, large.Code);
    }
}
