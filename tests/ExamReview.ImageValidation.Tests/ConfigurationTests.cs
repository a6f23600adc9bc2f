using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

public class ConfigurationTests
{
    [Fact]
    public void Thresholds_and_keys_bind_from_the_ImageValidation_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ImageValidation:Photo:MinWidth"] = "200",
                ["ImageValidation:Photo:MinSharpness"] = "55.5",
                ["ImageValidation:Photo:FailOn"] = "Error",
                ["ImageValidation:Face:Enabled"] = "false", // the drawn portrait below is no face to a detector
                ["ImageValidation:Face:MaxRollDegrees"] = "5",
                ["ImageValidation:Document:MaxFileBytes"] = "150000",
                ["ImageValidation:Document:MaxDecodedPixels"] = "3000000",
                ["ImageValidation:MaxConcurrentDecodes"] = "3",
                ["ImageValidation:Normaliser:MaxLongSide"] = "1600",
                ["ImageValidation:Watermark:TextTemplate"] = "审核专用 {0}",
                ["ImageValidation:PassMark:CurrentKeyId"] = "k2",
                ["ImageValidation:PassMark:Keys:k1"] = Convert.ToBase64String(new byte[32]),
                ["ImageValidation:PassMark:Keys:k2"] = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
            })
            .Build();

        using var provider = new ServiceCollection().AddImageValidationProcessing(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ImageValidationOptions>>().Value;
        Assert.Equal(200, options.Photo.MinWidth);
        Assert.Equal(254, options.Photo.MinHeight); // default kept
        Assert.Equal(55.5, options.Photo.MinSharpness);
        Assert.Equal(Enums.FailOn.Error, options.Photo.FailOn);
        Assert.Equal(150000, options.Document.MaxFileBytes);
        Assert.Equal(3_000_000, options.Document.MaxDecodedPixels);
        Assert.Equal(3, provider.GetRequiredService<DecodeGate>().Slots);
        Assert.Equal(1600, options.Normaliser.MaxLongSide);
        Assert.False(options.Face.Enabled);
        Assert.Equal(5, options.Face.MaxRollDegrees);
        Assert.Equal(0.531, options.Face.MaxEyeLineShare); // default kept

        Assert.Equal("k2", provider.GetRequiredService<PassMarkKeyRing>().Current.Id);
        Assert.Equal("审核专用 X", provider.GetRequiredService<Watermarker>().TextFor("X"));

        var inspection = provider.GetRequiredService<DocumentInspector>().Inspect(new byte[150001]);
        Assert.Contains(inspection.Findings, f => f.Code == FindingCodes.DocTooLarge && f.Threshold == "≤ 150000 B");

        var photo = provider.GetRequiredService<PhotoTool>().Process(TestImages.PortraitJpeg(195, 280, TestImages.White));
        Assert.Equal(FindingCodes.PhotoTooSmall, Assert.Single(photo.Findings).Code); // 195 < configured 200
        Assert.NotNull(provider.GetRequiredService<Normaliser>());
    }

    [Fact]
    public void Missing_pass_mark_keys_fail_loudly()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var provider = new ServiceCollection().AddImageValidationProcessing(configuration).BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<PhotoTool>());
        Assert.NotNull(provider.GetRequiredService<DocumentInspector>()); // tools without keys still work
    }
}
