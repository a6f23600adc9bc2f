using ExamReview.ServiceDefaults.Security;

namespace ExamReview.UnitTests.Security;

/// <summary>
/// A JSON body's charset: <c>charset=gbk</c> and <c>charset="utf-8"</c> (quoted, as HTTP allows) were 500s from the
/// framework's body reader. A quoted charset is read unquoted; one .NET cannot decode is refused (415) before a handler.
/// </summary>
public sealed class JsonRequestCharsetsTests
{
    [Theory]
    [InlineData("application/json; charset=gbk", "gbk")]
    [InlineData("application/json; charset=gb18030", "gb18030")]
    [InlineData("application/json; charset=utf-7", "utf-7")]
    [InlineData("application/json; charset=", "")]
    [InlineData("application/json; charset=\"no-such\"", "no-such")]
    [InlineData("application/merge-patch+json; charset=gbk", "gbk")]
    [InlineData("application/json; CHARSET=GBK", "GBK")] // the parameter name in any case
    public void A_charset_that_cannot_be_decoded_is_refused_by_name(string contentType, string refused)
    {
        Assert.Equal((null, refused), JsonRequestCharsets.Check(contentType));
    }

    [Fact]
    public void A_quoted_charset_is_read_unquoted()
    {
        var (contentType, refused) = JsonRequestCharsets.Check("application/json; charset=\"utf-8\"");
        Assert.Null(refused);
        Assert.Equal("application/json; charset=utf-8", contentType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-16")]
    [InlineData("multipart/form-data; boundary=x; charset=gbk")]
    [InlineData("text/plain; charset=gbk")]
    [InlineData("not a media type")]
    public void Other_content_types_and_decodable_charsets_pass_unchanged(string? contentType)
    {
        Assert.Equal((null, null), JsonRequestCharsets.Check(contentType));
    }
}
