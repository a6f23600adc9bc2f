using ExamReview.ServiceDefaults.Security;

namespace ExamReview.UnitTests.Security;

/// <summary>What typed text may hold: no control, bidi or hidden format characters; line breaks only in free text.</summary>
public sealed class TextHygieneTests
{
    [Theory]
    [InlineData("张\u200B三")] // zero-width space: looks like 张三, matches no search for it
    [InlineData("张\u200F三")] // right-to-left mark
    [InlineData("\uFEFF张三")] // byte-order mark
    [InlineData("张\u00AD三")] // soft hyphen
    [InlineData("请重传\u202Egpj.exe")] // right-to-left override
    [InlineData("张\u0000三")]
    public void Hidden_and_control_characters_are_refused(string text) =>
        Assert.NotNull(TextHygiene.FirstForbidden(text, singleLine: false));

    [Theory]
    [InlineData("👨\u200D⚕️ 请在自然光下重拍")] // an emoji sequence joined by U+200D
    [InlineData("第一行\n第二行\t完")]
    [InlineData("مەن\u200Cنى")] // a zero-width non-joiner as some scripts use it
    public void Joiners_and_the_line_breaks_of_free_text_are_kept(string text) =>
        Assert.Null(TextHygiene.FirstForbidden(text, singleLine: false));

    [Fact]
    public void A_single_line_value_may_not_break_lines() =>
        Assert.Equal('\n', TextHygiene.FirstForbidden("张三\n", singleLine: true));

    [Fact]
    public void A_long_file_name_is_cut_between_characters_never_inside_an_emoji()
    {
        // 250 letters, then an emoji (a surrogate pair) across the 251st and 252nd places where the cut falls.
        var name = new string('a', 250) + "😀" + "bbbb.jpg";

        var kept = TextHygiene.SanitiseFileName(name);

        Assert.Equal(new string('a', 250) + ".jpg", kept);
        Assert.DoesNotContain(kept, char.IsSurrogate);
        Assert.Equal("😀.jpg", TextHygiene.SanitiseFileName("😀.jpg"));
    }
}
