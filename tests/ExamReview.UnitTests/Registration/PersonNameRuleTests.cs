using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// The name rule (PersonNames) that registrations and corrections share: letters of any script with the separators
/// names use, counted in characters as people count them; digits, emoji and other symbols refused.
/// </summary>
public sealed class PersonNameRuleTests
{
    private static readonly (string, string) Characters = (PersonNames.CharactersZh, PersonNames.CharactersEn);
    private static readonly (string, string) Required = (PersonNames.RequiredZh, PersonNames.RequiredEn);

    [Theory]
    [InlineData("张三")]
    [InlineData(" 张三 ")] // checked as trimmed, as it is stored
    [InlineData("王𠀾𡃁")] // CJK Extension B
    [InlineData("阿依古丽·买买提")] // a Uyghur name in Han characters, with the middle dot
    [InlineData("阿依古丽・买买提")] // the same with the Japanese-keyboard dot people type
    [InlineData("扎西顿珠")]
    [InlineData("བཀྲ་ཤིས")] // Tibetan letters with their vowel marks
    [InlineData("Anne-Marie O'Neil")]
    [InlineData("José Martínez")] // Latin with a precomposed accent
    [InlineData("Jose\u0301")] // and with a combining one
    [InlineData("J. R. Smith Jr.")]
    [InlineData("김민준")] // Hangul
    [InlineData("ཀྵྨྱཱུཾ")] // a deep Tibetan stack: six marks on one letter
    [InlineData("葛\U000E0100")] // an ideographic variation selector on a rare character's variant
    [InlineData("邉\uFE00")] // a standardised variation selector
    [InlineData("Ġ\u0323\u0302")] // two combining marks on a Latin letter
    [InlineData("\U000323AF")] // the last character of CJK Extension H, whichever Unicode this runtime knows
    [InlineData("CHAN, Tai Man")] // a Hong Kong identity card's English name: surname, comma, space, given names
    [InlineData("GARCÍA MÁRQUEZ, Gabriel José")] // a passport's two surnames before the comma
    [InlineData("O'NEIL, Anne-Marie")]
    [InlineData("SMITH, J. R.")]
    public void Names_of_letters_joined_by_name_separators_pass(string name) => Assert.Null(PersonNames.Problem(name));

    [Theory]
    [InlineData("张三1")]
    [InlineData("张三２")] // a full-width digit
    [InlineData("张三😀")]
    [InlineData("张三★")]
    [InlineData("张三@example")]
    [InlineData("张（三）")]
    [InlineData("·张三")]
    [InlineData("张三·")]
    [InlineData("张··三")]
    [InlineData("张 - 三")]
    [InlineData("张\uE000三")] // a private-use character: no font prints it and nobody else can type it
    [InlineData("Ⅻ")] // a letter-like number
    [InlineData("\u3164")] // the Hangul filler: a letter that prints as nothing, so a blank name
    [InlineData("张\u3164三")]
    [InlineData("\uFFA0")] // its half-width form
    [InlineData("\u0301张三")] // a combining mark on no letter
    [InlineData("张·\u0301三")] // or on a separator
    [InlineData("CHAN,Tai Man")] // an ASCII comma takes its space
    [InlineData("CHAN ,Tai Man")]
    [InlineData("CHAN , Tai Man")]
    [InlineData("CHAN,  Tai Man")]
    [InlineData("CHAN，Tai Man")] // the full-width comma of a Chinese input method: the card prints an ASCII one
    [InlineData("CHAN， Tai Man")]
    [InlineData("陈，大文")]
    [InlineData(",CHAN Tai Man")]
    [InlineData("，陈大文")]
    [InlineData("CHAN Tai Man,")] // also "CHAN Tai Man, " once trimmed
    [InlineData("陈大文，")]
    [InlineData("CHAN,, Tai Man")]
    [InlineData("CHAN，，Tai Man")]
    [InlineData("CHAN, Tai, Man")] // one comma: surname, then given names
    [InlineData("CHAN，Tai, Man")]
    [InlineData("CHAN, -Tai Man")]
    [InlineData("CHAN.,Tai")]
    public void A_digit_a_symbol_or_a_stray_separator_is_refused(string name) => Assert.Equal(Characters, PersonNames.Problem(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_name_is_required(string? name) => Assert.Equal(Required, PersonNames.Problem(name));

    [Fact]
    public void The_limit_counts_characters_so_a_rare_character_counts_once()
    {
        var hundredRare = string.Concat(Enumerable.Repeat("𠀾", PersonNames.MaxCharacters)); // 200 UTF-16 units
        Assert.Null(PersonNames.Problem(hundredRare));
        Assert.Equal(Required, PersonNames.Problem(hundredRare + "𠀾"));
        Assert.Null(PersonNames.Problem(new string('张', PersonNames.MaxCharacters)));
        Assert.Equal(Required, PersonNames.Problem(new string('张', PersonNames.MaxCharacters + 1)));
    }

    [Fact]
    public void A_letter_carries_at_most_eight_marks_so_none_towers_over_the_lines_around_it()
    {
        Assert.Null(PersonNames.Problem("张" + new string('\u0301', PersonNames.MaxMarksPerLetter) + "三"));
        Assert.Equal(Characters, PersonNames.Problem("张" + new string('\u0301', PersonNames.MaxMarksPerLetter + 1) + "三"));
        Assert.Equal(Characters, PersonNames.Problem("Z" + new string('\u0336', 99))); // 100 characters, 99 of them marks
    }

    [Fact]
    public void A_correction_of_the_name_takes_the_same_rule()
    {
        Assert.Null(CorrectableFields.Problem(CorrectableFields.FullName, "王𠀾𡃁", new DateOnly(2027, 3, 1)));
        Assert.Equal(Characters, CorrectableFields.Problem(CorrectableFields.FullName, "张三😀", new DateOnly(2027, 3, 1)));
    }
}
