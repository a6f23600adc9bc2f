using ExamReview.MaterialStorage.Domain;

namespace ExamReview.UnitTests.Materials;

/// <summary>What an uploaded file must be: size per area (or the normaliser's limit), JPEG or PNG by its bytes.</summary>
public sealed class ImageIntakeTests
{
    [Fact]
    public void A_too_large_file_is_told_the_platform_can_shrink_it()
    {
        var refusal = ImageIntake.CheckSize(300 * 1024, 200 * 1024, normalise: false);
        Assert.Equal((RefusalKind.TooLarge, "file_too_large"), (refusal?.Kind, refusal?.Code));
        Assert.Contains("平台可以替您压缩照片", refusal!.DetailZh);
        Assert.Contains("normalise=true", refusal.DetailZh);
        Assert.Contains("normalise=true", refusal.DetailEn);
        Assert.Equal(true, refusal.Facts!["normaliseAvailable"]);
    }

    [Fact]
    public void A_photo_to_normalise_may_be_far_larger_than_the_area_limit()
    {
        Assert.Null(ImageIntake.CheckSize(3 * 1024 * 1024, 200 * 1024, normalise: true));
        Assert.Equal("file_too_large", ImageIntake.CheckSize(ImageIntake.MaxNormaliseInputBytes + 1, 200 * 1024, normalise: true)?.Code);
        Assert.Equal("file_empty", ImageIntake.CheckSize(0, 200 * 1024, normalise: true)?.Code);
    }

    [Fact]
    public void The_format_is_judged_by_the_bytes()
    {
        Assert.Equal("image/jpeg", ImageIntake.CheckFormat([0xFF, 0xD8, 0xFF, 0xE0]).ContentType);
        Assert.Equal("image/png", ImageIntake.CheckFormat([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).ContentType);
        Assert.Equal(RefusalKind.UnsupportedFormat, ImageIntake.CheckFormat("GIF89a"u8).Refusal?.Kind);
    }
}
