using ExamReview.IntegrationTests.Platform;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// The resident ID number rule (GB 11643-1999): 18 characters, a real birth date from 1900 to today at characters 7–14,
/// and the ISO 7064 MOD 11-2 check character — for registrations, corrections, searches and sign-in alike.
/// </summary>
public sealed class ResidentIdNumberRuleTests
{
    private static readonly DateOnly Today = new(2027, 3, 1);

    [Theory]
    [InlineData("11010519491231002X")] // GB 11643's own example: check character X
    [InlineData("11010519491231002x")] // the same, lower-case x
    [InlineData("43010119900101124X")]
    [InlineData("370102199003071238")]
    [InlineData("110101190001010014")] // 1 January 1900, the earliest birth date taken
    public void Numbers_with_a_real_birth_date_and_their_check_character_pass(string number) =>
        Assert.Null(ResidentIdNumbers.Problem(number, Today));

    [Theory]
    [InlineData("43010119900101123X")] // the number every test used to register: its check character is 1
    [InlineData("370102199003071239")]
    [InlineData("110105194912310020")] // the example with 0 for its X
    public void A_wrong_check_character_is_named_as_such(string number) =>
        Assert.Equal(("身份证号码校验位不正确，请逐位核对后重新输入。", ResidentIdNumbers.CheckDigitEn), ResidentIdNumbers.Problem(number, Today));

    [Theory]
    [InlineData("19901301")] // month 13
    [InlineData("19900230")] // 30 February
    [InlineData("20270302")] // tomorrow
    [InlineData("20990101")] // 2099
    [InlineData("18991231")] // before 1900
    [InlineData("18800101")]
    [InlineData("11111111")] // 111111111111111111 and the like
    [InlineData("00000000")]
    public void An_impossible_birth_date_is_refused_whatever_the_check_character(string birthDate)
    {
        // A correct check character, so only the date can be wrong.
        var number = TestIdNumbers.WithCheckCharacter("430101" + birthDate + "123");
        Assert.Equal(("出生日期不正确：身份证号码第 7 至 14 位应为 1900 年以后、不晚于今天的出生日期（年月日），请核对。", ResidentIdNumbers.BirthDateEn),
            ResidentIdNumbers.Problem(number, Today));
    }

    [Fact]
    public void Someone_born_today_passes_and_the_date_moves_with_today()
    {
        var bornToday = TestIdNumbers.WithCheckCharacter("43010120270301123");
        Assert.Null(ResidentIdNumbers.Problem(bornToday, Today));
        Assert.NotNull(ResidentIdNumbers.Problem(bornToday, Today.AddDays(-1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4301011990010112")] // 16 digits
    [InlineData(" 43010119900101124X")] // callers that tolerate spaces trim first
    [InlineData("43010119900101124X\n")]
    [InlineData("11010519491231002Y")]
    [InlineData("٤٣٠١٠١١٩٩٠٠١٠١١٢٤X")] // Arabic-Indic digits are no digits here
    public void Anything_but_17_ASCII_digits_and_a_digit_or_X_is_the_shape_problem(string? number) =>
        Assert.Equal(ResidentIdNumbers.ShapeZh, ResidentIdNumbers.Problem(number, Today)?.Zh);

    [Fact]
    public void Every_single_digit_typo_is_caught()
    {
        const string number = "43010119900101124X";
        for (var i = 0; i < 17; i++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == number[i])
                {
                    continue;
                }
                var typo = number[..i] + digit + number[(i + 1)..];
                Assert.False(ResidentIdNumbers.IsValid(typo, Today), typo);
            }
        }
    }

    [Fact]
    public void The_tests_numbers_are_valid_distinct_and_of_the_province_asked_for()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var numbers = Enumerable.Range(0, 2_000).Select(i => TestIdNumbers.New(i % 2 == 0 ? "37" : null)).ToList();

        Assert.All(numbers, n => Assert.Null(ResidentIdNumbers.Problem(n, today)));
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(numbers.Where((_, i) => i % 2 == 0), n => Assert.StartsWith("37", n, StringComparison.Ordinal));
        Assert.Contains(numbers, n => n.EndsWith('X'));
    }
}
