using ExamReview.ImageValidation.Domain;
using ExamReview.MaterialStorage.Domain;

namespace ExamReview.UnitTests;

public sealed class DocumentChecksTests
{
    private static byte[] Jpeg(int size)
    {
        var bytes = new byte[size];
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[^2] = 0xFF; bytes[^1] = 0xD9;
        return bytes;
    }

    [Fact]
    public void A_small_complete_jpeg_passes() => Assert.Empty(DocumentChecks.Check(Jpeg(1000)));

    [Fact]
    public void Format_is_judged_by_bytes()
    {
        var finding = Assert.Single(DocumentChecks.Check("GIF89a........"u8));
        Assert.Equal("doc.format", finding.Code);
        Assert.Null(ImageFormats.ContentTypeOf("GIF89a"u8));
        Assert.Equal("image/png", ImageFormats.ContentTypeOf([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
        Assert.Equal("image/jpeg", ImageFormats.ContentTypeOf(Jpeg(10)));
    }

    [Fact]
    public void Oversized_and_truncated_files_are_named_with_their_threshold()
    {
        var large = Assert.Single(DocumentChecks.Check(Jpeg(201 * 1024)));
        Assert.Equal("doc.too_large", large.Code);
        Assert.Equal((200 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), large.Threshold);
        var truncated = Jpeg(1000)[..500];
        Assert.Equal("doc.unreadable", Assert.Single(DocumentChecks.Check(truncated)).Code);
    }
}
