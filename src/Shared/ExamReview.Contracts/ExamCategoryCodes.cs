namespace ExamReview.Contracts;

/// <summary>
/// The values of <see cref="CandidateRegistered.ExamCategory"/> and <see cref="RegistrationCorrected.ExamCategory"/>:
/// 执业/助理 × 临床/中医/口腔/公共卫生, plus the 师承 and 确有专长 routes. Part of the contract, so a service that filters by
/// category refuses a value no message can carry instead of answering an empty page. Registration's list (with the
/// Chinese labels) and MaterialStorage's rule vocabulary name the same codes; a unit test holds the three together.
/// </summary>
public static class ExamCategoryCodes
{
    public static readonly IReadOnlyList<string> All =
    [
        "practitioner-clinical", "practitioner-chinese-medicine", "practitioner-dental", "practitioner-public-health",
        "assistant-clinical", "assistant-chinese-medicine", "assistant-dental", "assistant-public-health",
        "chinese-medicine-mentorship", "chinese-medicine-expertise",
    ];

    public static bool IsKnown(string? code) => code is not null && All.Contains(code, StringComparer.Ordinal);
}
