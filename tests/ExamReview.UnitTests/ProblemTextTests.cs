using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.UnitTests;

/// <summary>A problem's detail quotes input back capped, so a long value never turns the detail into a copy of the request.</summary>
public sealed class ProblemTextTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("43", "43")]
    public void Short_input_is_quoted_whole(string? input, string quoted) => Assert.Equal(quoted, ProblemText.Echo(input));

    [Fact]
    public void Input_of_exactly_the_limit_is_quoted_whole_and_longer_input_is_cut_with_an_ellipsis()
    {
        var limit = new string('a', ProblemText.MaxEchoed);
        Assert.Equal(limit, ProblemText.Echo(limit));
        Assert.Equal(limit + "…", ProblemText.Echo(limit + "b"));
        Assert.Equal(limit + "…", ProblemText.Echo(limit + new string('b', 10_000)));
    }

    [Fact]
    public void The_cut_never_splits_a_character_made_of_two_code_units()
    {
        // 𠀀 (U+20000, a CJK Extension B character) is a surrogate pair: 70 of them are 140 UTF-16 units.
        var text = string.Concat(Enumerable.Repeat("𠀀", 70));
        var quoted = ProblemText.Echo(text);
        Assert.Equal(string.Concat(Enumerable.Repeat("𠀀", ProblemText.MaxEchoed)) + "…", quoted);
        // 64 characters that take 128 units are still within the limit.
        var exactly = string.Concat(Enumerable.Repeat("𠀀", ProblemText.MaxEchoed));
        Assert.Equal(exactly, ProblemText.Echo(exactly));
    }
}
