using System.Text.RegularExpressions;

namespace ExamReview.Registration.Domain;

/// <summary>
/// One field a site reviewer corrected (报名信息修改, seeds: "如果报名信息有问题，请考生及时联系考点考务工作人员进行信息修改"):
/// an append-only audit row with the old and new value, the reason, who and when.
/// </summary>
public sealed class RegistrationCorrection
{
    public Guid Id { get; set; }
    public Guid RegistrationId { get; set; }
    public Guid CandidateId { get; set; }
    public required string Field { get; set; }
    public required string OldValue { get; set; }
    public required string NewValue { get; set; }
    public required string Reason { get; set; }
    public required string CorrectedBy { get; set; }
    public DateTimeOffset CorrectedAt { get; set; }
}

/// <summary>The fields staff may correct, with their Chinese names and checks.</summary>
public static partial class CorrectableFields
{
    public const string FullName = "fullName";
    public const string IdNumber = "idNumber";
    public const string ExamCategory = "examCategory";
    public const string MobileNumber = "mobileNumber";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FullName] = "姓名",
        [IdNumber] = "证件号码",
        [ExamCategory] = "考试类别",
        [MobileNumber] = "手机号码",
    };

    /// <summary>Why a value is unacceptable for the field (Chinese, English), or null when it is fine; <paramref name="today"/> bounds a birth date.</summary>
    public static (string Zh, string En)? Problem(string field, string value, DateOnly today) => field switch
    {
        FullName => PersonNames.Problem(value),
        IdNumber => ResidentIdNumbers.Problem(value, today),
        ExamCategory => ExamCategories.All.Contains(value) ? null
            : ($"考试类别应为：{string.Join("、", ExamCategories.All)}", $"must be one of: {string.Join(", ", ExamCategories.All)}"),
        MobileNumber => MobilePattern().IsMatch(value) ? null
            : ("手机号码应为以 1 开头的 11 位大陆手机号", "must be an 11-digit mainland mobile number starting with 1"),
        _ => ("该字段不能由考点修改", "site staff cannot correct this field"),
    };

    // [0-9] and \z, never \d and $: in .NET \d matches any script's digits (١١٠…) and $ matches before a final
    // newline, and both let through numbers the provinces' systems and the SMS provider then refuse.
    [GeneratedRegex(@"^[0-9]{17}[0-9Xx]\z")]
    internal static partial Regex IdNumberPattern();

    [GeneratedRegex(@"^1[3-9][0-9]{9}\z")]
    internal static partial Regex MobilePattern();
}

/// <summary>Why a correction cannot be made.</summary>
public enum CorrectionRefusal
{
    None,
    NothingChanges,
    ReviewFinished,

    /// <summary>The new ID number is held by another registration of the exam year (<see cref="IdNumberHolding"/>).</summary>
    IdNumberRegistered,
}

public static class CorrectionRefusals
{
    /// <summary>
    /// What staff (or a provincial system) read when a correction is refused: a stable code, Chinese first, English on
    /// request. A finished review is named by the result the candidate sees once it is published; while the area holds
    /// it (<see cref="CandidateRegistration.ReviewState"/> ahead of the status) the same code says only that the review
    /// is over — not whether it approved or rejected, which nobody outside the review may learn before the round does.
    /// </summary>
    public static (string Code, string Zh, string En) Describe(this CorrectionRefusal refusal, CandidateRegistration registration) => refusal switch
    {
        CorrectionRefusal.ReviewFinished when IsFinished(registration.Status) => (ReviewFinishedCode,
            $"审核已结束（{registration.Status.Label()}），报名信息不能再修改。",
            $"The review is over ({registration.Status}); the registration can no longer be corrected."),
        CorrectionRefusal.ReviewFinished => (ReviewFinishedCode, "审核已结束，结果尚未公布，报名信息不能再修改。",
            "The review is over and its result is not yet published; the registration can no longer be corrected."),
        CorrectionRefusal.IdNumberRegistered => (IdNumberHolding.RegisteredCode, IdNumberHolding.RegisteredZh, IdNumberHolding.RegisteredEn),
        CorrectionRefusal.NothingChanges => ("nothing_to_correct", "给出的值与现有报名信息相同，没有需要修改的内容。",
            "The values given equal the registration's; there is nothing to correct."),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };

    /// <summary>The code of a correction refused because the review is over, published or held.</summary>
    public const string ReviewFinishedCode = "review_finished";

    /// <summary>Whether a state ends the review for corrections: 审核通过 or 审核拒绝.</summary>
    internal static bool IsFinished(CandidateStatus status) => status is CandidateStatus.Approved or CandidateStatus.Rejected;
}

public static class RegistrationCorrections
{
    /// <summary>
    /// Applies staff corrections to a registration: every changed field yields one audit row; unchanged values
    /// are skipped; nothing changes once the review is over (审核通过 / 审核拒绝), nor when the new ID number is held by
    /// another registration of the year (<paramref name="idNumberHolder"/>: who holds the new number, null for nobody).
    /// Values were checked by the caller (<see cref="CorrectableFields.Problem"/>).
    /// </summary>
    /// <remarks>
    /// "Over" by the review's real state (<see cref="CandidateRegistration.ReviewState"/>), not the status the candidate
    /// sees: where the area holds results until its round closes, a final decision is final at once, and a correction
    /// after it would change what the review decided on behind the result the round will publish.
    /// </remarks>
    public static (CorrectionRefusal Refusal, IReadOnlyList<RegistrationCorrection> Rows) Correct(
        this CandidateRegistration registration, IReadOnlyDictionary<string, string> values, string reason, string actor, DateTimeOffset at,
        Guid? idNumberHolder = null)
    {
        if (CorrectionRefusals.IsFinished(registration.ReviewState))
        {
            return (CorrectionRefusal.ReviewFinished, []);
        }
        // Before any field is written: a refused correction leaves the registration as it was.
        if (values.TryGetValue(CorrectableFields.IdNumber, out var idNumber) && !string.Equals(idNumber, registration.IdNumber, StringComparison.OrdinalIgnoreCase)
            && IdNumberHolding.Refuse(idNumberHolder, registration.Id) is not null)
        {
            return (CorrectionRefusal.IdNumberRegistered, []);
        }
        var rows = new List<RegistrationCorrection>();
        foreach (var (field, raw) in values)
        {
            var value = field switch
            {
                CorrectableFields.FullName => raw.Trim(),
                CorrectableFields.IdNumber => raw.ToUpperInvariant(),
                _ => raw,
            };
            var old = Read(registration, field);
            if (old == value)
            {
                continue;
            }
            Write(registration, field, value);
            rows.Add(new RegistrationCorrection
            {
                Id = Guid.CreateVersion7(),
                RegistrationId = registration.Id,
                CandidateId = registration.CandidateId,
                Field = field,
                OldValue = old,
                NewValue = value,
                Reason = reason,
                CorrectedBy = actor,
                CorrectedAt = at,
            });
        }
        if (rows.Count == 0)
        {
            return (CorrectionRefusal.NothingChanges, []);
        }
        registration.UpdatedAt = at;
        registration.Version++;
        if (rows.Any(r => r.Field == CorrectableFields.ExamCategory))
        {
            registration.ProfileVersion++; // the category decides materials: MaterialStorage follows
        }
        return (CorrectionRefusal.None, rows);
    }

    private static string Read(CandidateRegistration r, string field) => field switch
    {
        CorrectableFields.FullName => r.FullName,
        CorrectableFields.IdNumber => r.IdNumber,
        CorrectableFields.ExamCategory => r.ExamCategory,
        _ => r.MobileNumber,
    };

    private static void Write(CandidateRegistration r, string field, string value)
    {
        switch (field)
        {
            case CorrectableFields.FullName:
                r.FullName = value;
                break;
            case CorrectableFields.IdNumber:
                r.IdNumber = value;
                break;
            case CorrectableFields.ExamCategory:
                r.ExamCategory = value;
                break;
            default:
                r.MobileNumber = value;
                break;
        }
    }
}

/// <summary>
/// One reviewer's view of a candidate's full identity (name and full ID number, to compare with the ID card):
/// who, when, which candidate, in which scope and for which review case. Operators read these.
/// </summary>
public sealed class IdentityAccess
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public Guid RegistrationId { get; set; }
    public required string Actor { get; set; }
    public required string Role { get; set; }
    public required string Scope { get; set; }
    public Guid? CaseId { get; set; }
    public required string What { get; set; }
    public DateTimeOffset At { get; set; }
}
