using System.Globalization;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// Input a problem's detail quotes back to the client. A detail names what was wrong ("考区“99”不存在"), but a
/// 4 KB query value or a long route segment, echoed whole, turns the detail into a copy of the request (and of
/// whatever it smuggles) in every log and console that shows problems. There is no single place every detail is built
/// (each handler writes its own sentence), so each quote of user input goes through <see cref="Echo"/>.
/// </summary>
public static class ProblemText
{
    /// <summary>How many characters (text elements, so a surrogate pair or a combined character is never cut) of an input a detail quotes.</summary>
    public const int MaxEchoed = 64;

    /// <summary>The input as the detail quotes it: whole up to <see cref="MaxEchoed"/> characters, else its start and an ellipsis.</summary>
    public static string Echo(string? input)
    {
        if (input is null)
        {
            return "";
        }
        if (input.Length <= MaxEchoed)
        {
            return input;
        }
        var end = 0;
        for (var elements = 0; elements < MaxEchoed && end < input.Length; elements++)
        {
            end += StringInfo.GetNextTextElementLength(input, end);
        }
        return end >= input.Length ? input : input[..end] + "…";
    }
}
