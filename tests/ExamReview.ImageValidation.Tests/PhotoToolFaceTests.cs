using System.Security.Cryptography;
using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Processing.Face;
using ExamReview.PassMarks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCvSharp;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>The face checks inside <see cref="PhotoTool"/>: findings reach the result, the crop is applied.</summary>
public sealed class PhotoToolFaceTests
{
    private static readonly PassMark Mark = new(new PassMarkKeyRing(new PassMarkKey("face-test", RandomNumberGenerator.GetBytes(32))));
    private static readonly PhotoOptions Photo = new();
    private static readonly FaceCheck Faces = new(new FaceOptions(), PortraitFrame.From(Photo));

    // The astronaut photo's own background (flag, shuttle, grey backdrop) is not white: for the cases about
    // framing, the background thresholds are opened so that only the face decides.
    private static readonly PhotoOptions AnyBackground = new() { BackgroundMinLightness = 0, BackgroundMaxLightnessDeviation = 100, BackgroundMaxChroma = 200 };

    private static string[] Codes(PhotoResult result) => result.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void Real_frontal_portrait_on_white_passes_every_check()
    {
        var result = new PhotoTool(Photo, Mark, Faces).Process(FacePortraits.OnWhiteJpeg());
        Assert.True(result.Passed, string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Measured} vs {f.Threshold}")));
        Assert.True(result.Jpeg!.Length < Photo.MaxFileBytes);
        Assert.False(result.Measurements!.Cropped);
    }

    [Fact]
    public void Off_centre_portrait_comes_out_cropped_around_the_face()
    {
        var result = new PhotoTool(AnyBackground, Mark, Faces).Process(FacePortraits.Jpeg(FacePortraits.OffCentre()));
        Assert.True(result.Passed, string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Measured} vs {f.Threshold}")));
        Assert.True(result.Measurements!.Cropped);
        Assert.InRange((double)result.Measurements.Width / result.Measurements.Height, 0.68, 0.695);

        // What the candidate gets back is framed by the norms: checked again, nothing to find and nothing to crop.
        using var output = FacePortraits.Decode(result.Jpeg!);
        var again = Faces.Inspect(FacePortraits.Pixels(output), output.Width, output.Height);
        Assert.Empty(again.Findings);
        Assert.Null(again.Crop);
        Assert.InRange(again.Measurements.Placement!.Value.CentreOffsetShare, -0.05, 0.05);
    }

    [Fact]
    public void Large_off_centre_photo_shrunk_on_load_is_cropped_around_the_face_too()
    {
        // 1350×1962 is more than twice the output box, so the tool decodes a shrunk copy: the face is judged and
        // the crop placed in the stored size's pixels, then mapped onto that copy.
        using var offCentre = FacePortraits.OffCentre();
        using var large = new Mat();
        Cv2.Resize(offCentre, large, new Size(offCentre.Width * 3, offCentre.Height * 3), 0, 0, InterpolationFlags.Cubic);
        var result = new PhotoTool(AnyBackground, Mark, Faces).Process(FacePortraits.Jpeg(large));
        Assert.True(result.Passed, string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Measured} vs {f.Threshold}")));
        Assert.True(result.Measurements!.Cropped);
        Assert.True(result.Measurements.InputWidth < large.Width, $"crop width {result.Measurements.InputWidth} in stored pixels");
        Assert.InRange((double)result.Measurements.Width / result.Measurements.Height, 0.68, 0.695);

        using var output = FacePortraits.Decode(result.Jpeg!);
        var again = Faces.Inspect(FacePortraits.Pixels(output), output.Width, output.Height);
        Assert.Empty(again.Findings);
        Assert.Null(again.Crop);
        Assert.InRange(again.Measurements.Placement!.Value.CentreOffsetShare, -0.05, 0.05);
    }

    [Fact]
    public void Drawn_portrait_is_no_face_although_every_other_check_passes()
    {
        var upload = TestImages.PortraitJpeg(413, 600, TestImages.White);
        Assert.True(new PhotoTool(Photo, Mark).Process(upload).Passed); // without the face checks

        var result = new PhotoTool(Photo, Mark, Faces).Process(upload);
        Assert.Null(result.Jpeg);
        Assert.Equal([FaceFindingCodes.None], Codes(result));
    }

    [Fact]
    public void Two_faces_are_refused_by_the_photo_tool()
    {
        var result = new PhotoTool(AnyBackground, Mark, Faces).Process(FacePortraits.Jpeg(FacePortraits.TwoFaces()));
        Assert.Null(result.Jpeg);
        Assert.Contains(FaceFindingCodes.Multiple, Codes(result));
    }

    [Fact]
    public void Registered_photo_tool_checks_faces_by_default_with_configured_thresholds()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ImageValidation:PassMark:CurrentKeyId"] = "k1",
                ["ImageValidation:PassMark:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["ImageValidation:Face:MinFaceWidthShare"] = "0.45",
                ["ImageValidation:Face:TargetFaceWidthShare"] = "0.55",
            })
            .Build();
        using var provider = new ServiceCollection().AddImageValidationProcessing(configuration).BuildServiceProvider();
        var tool = provider.GetRequiredService<PhotoTool>();

        Assert.Equal([FaceFindingCodes.None], Codes(tool.Process(TestImages.PortraitJpeg(413, 600, TestImages.White))));
        Assert.True(tool.Process(FacePortraits.OnWhiteJpeg()).Passed);

        // 0.45 × 190 px: the shrunk portrait's ≈ 70 px face is now further from enough.
        using var shrunk = FacePortraits.Shrunk();
        var report = provider.GetRequiredService<FaceCheck>().Inspect(FacePortraits.Pixels(shrunk), shrunk.Width, shrunk.Height);
        Assert.Equal("face width ≥ 85.5 px", Assert.Single(report.Findings).Threshold);
    }
}
