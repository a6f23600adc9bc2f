using ExamReview.Contracts;

namespace ExamReview.Registration.Domain;

/// <summary>A candidate's registration record (报名信息), the status the candidate sees, and the review's state behind it.</summary>
public sealed partial class CandidateRegistration
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public required string RegistrationNumber { get; set; }
    public int ExamYear { get; set; }
    public required string AreaCode { get; set; }
    public required string SiteCode { get; set; }
    public required string ExamCategory { get; set; }
    public required string FullName { get; set; }
    public required string IdNumber { get; set; }
    public required string MobileNumber { get; set; }
    public CandidateStatus Status { get; set; } = CandidateStatus.Filling;

    // Profile facts (seeds/004) that decide which materials are needed; see CandidateProfileChanged.
    public string EducationLevel { get; set; } = "bachelor";
    public bool UpgradedFromCollege { get; set; }
    public DateOnly? UpgradeEntryDate { get; set; }
    public string PostgraduateStatus { get; set; } = "none";
    public DateOnly? PostgraduateEntryDate { get; set; }
    public bool RepeatCandidate { get; set; }
    public int? PreviousExamYear { get; set; }

    /// <summary>The 考区 of a repeat candidate's earlier sitting (Hunan's reduced set applies to its own 2017–2020 candidates).</summary>
    public string? PreviousExamArea { get; set; }
    public string EmployerType { get; set; } = "other";
    public bool HoldsAssistantLicence { get; set; }
    public bool ForeignDegree { get; set; }
    public string Nationality { get; set; } = "mainland";
    public int TrialInstitutionCount { get; set; } = 1;

    /// <summary>education, or 师承 (mentorship) / 确有专长 (expertise), which needs that certificate.</summary>
    public string QualificationRoute { get; set; } = "education";

    /// <summary>Grows with every profile change; carried by CandidateProfileChanged so consumers keep the newest.</summary>
    public int ProfileVersion { get; set; }
    public string? Feedback { get; set; }
    public DateTimeOffset? RespondBy { get; set; }

    /// <summary>Id (time-ordered) of the last review event applied: the order for events that carry no <see cref="ReviewPosition"/>.</summary>
    public Guid? LastStatusMessageId { get; set; }

    /// <summary>
    /// The position of the last review event applied (submission, then case version; null before events carried one),
    /// so a late, older event cannot roll the status back whatever the clocks of the hosts that sent them.
    /// </summary>
    public int? LastStatusSubmission { get; set; }
    public int? LastStatusCaseVersion { get; set; }

    /// <summary>The accepted ID photo (报名照片): stored as received, only after its pass mark verified.</summary>
    public string? PhotoObjectKey { get; set; }
    public string? PhotoSha256 { get; set; }
    public DateTimeOffset? PhotoAcceptedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    /// <summary>
    /// Applies a review outcome unless a later one was applied already. Later by position where both the event and the
    /// last one applied carry one (the review's own order); otherwise by the time-ordered message id, as before positions.
    /// </summary>
    public bool ApplyStatus(CandidateStatus status, StatusEvent @event, DateTimeOffset at, string? feedback = null, DateTimeOffset? respondBy = null)
    {
        if (!IsLaterThanApplied(@event))
        {
            return false;
        }
        Status = status;
        Feedback = feedback;
        RespondBy = respondBy;
        LastStatusMessageId = @event.MessageId;
        LastStatusSubmission = @event.Position?.SubmissionNumber;
        LastStatusCaseVersion = @event.Position?.CaseVersion;
        UpdatedAt = at;
        ForgetHeldResultReachedBy(@event.Position);
        return true;
    }

    /// <summary>
    /// Whether the candidate's own changes to what the review looked at (the ID photo, the profile facts that decide the
    /// materials) are refused: once the site has passed the application (考点通过) and after the review is over. A return
    /// (退回修改) opens them again. Staff corrections follow their own rule (<see cref="RegistrationCorrections.Correct"/>).
    /// </summary>
    /// <remarks>
    /// Decided by the review's real state (<see cref="ReviewState"/>), not by the status the candidate sees: where the
    /// area holds results until its round closes, the site's pass is real at once and the candidate must not change what
    /// it passed meanwhile. The refusal then names no result — the candidate sees 填报 (审核中) and reads only that the
    /// material is under review — so it tells nothing the round has not published.
    /// </remarks>
    public (string Code, string DetailZh, string DetailEn)? RefuseCandidateChange()
    {
        if (!IsReviewedAsIs(ReviewState))
        {
            return null;
        }
        return IsReviewedAsIs(Status)
            ? (ReviewedAsIsCode,
                $"您的报名当前为“{Status.Label()}”，报名照片和个人情况已经审核，不能再自行修改；确需修改的，请联系考点工作人员。",
                $"Your registration is {Status}: the photo and profile have been reviewed and can no longer be changed by you; contact the exam site's staff.")
            : (ReviewedAsIsCode,
                "资料审核中，暂不能修改报名照片和个人情况；确需修改的，请联系考点工作人员。",
                "Your registration is under review: the photo and profile cannot be changed for now; contact the exam site's staff.");
    }

    /// <summary>The code of <see cref="RefuseCandidateChange"/>'s refusal, whether or not the result behind it is published.</summary>
    public const string ReviewedAsIsCode = "reviewed_as_is";

    private static bool IsReviewedAsIs(CandidateStatus status) =>
        status is CandidateStatus.SiteApproved or CandidateStatus.Approved or CandidateStatus.Rejected;

    private bool IsLaterThanApplied(StatusEvent @event)
    {
        if (@event.Position is { } position && ReviewPosition.Of(LastStatusSubmission, LastStatusCaseVersion) is { } applied)
        {
            return position.Follows(applied);
        }
        return LastStatusMessageId is not { } last || string.CompareOrdinal(last.ToString("N"), @event.MessageId.ToString("N")) < 0;
    }
}

/// <summary>A review event as Registration orders it: its message id, and its position in the review when the sender gave one.</summary>
public sealed record StatusEvent(Guid MessageId, ReviewPosition? Position);

/// <summary>Candidate-visible status: 填报 → 考点通过 → 审核通过, or 审核拒绝; 退回修改 when returned with feedback.</summary>
public enum CandidateStatus
{
    Filling = 0,
    SiteApproved = 1,
    Approved = 2,
    Rejected = 3,
    Returned = 4,
}

public static class CandidateStatusLabels
{
    public static string Label(this CandidateStatus status) => status switch
    {
        CandidateStatus.Filling => "填报",
        CandidateStatus.SiteApproved => "考点通过",
        CandidateStatus.Approved => "审核通过",
        CandidateStatus.Rejected => "审核拒绝",
        CandidateStatus.Returned => "退回修改",
        _ => status.ToString(),
    };
}

/// <summary>An exam year open for registration (operators add years as data).</summary>
public sealed class ExamYear
{
    public int Year { get; set; }
    public required string Name { get; set; }
}

public sealed class ExamArea
{
    public required string Code { get; set; }
    public required string Name { get; set; }
}

public sealed class ExamSite
{
    public required string Code { get; set; }
    public required string AreaCode { get; set; }
    public required string Name { get; set; }
}

/// <summary>Exam categories: 执业/助理 × 临床/中医/口腔/公共卫生, plus 师承 and 确有专长 routes.</summary>
public static class ExamCategories
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "practitioner-clinical", "practitioner-chinese-medicine", "practitioner-dental", "practitioner-public-health",
        "assistant-clinical", "assistant-chinese-medicine", "assistant-dental", "assistant-public-health",
        "chinese-medicine-mentorship", "chinese-medicine-expertise",
    };

    /// <summary>The Chinese names printed on notices and shown to staff.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["practitioner-clinical"] = "临床执业医师",
        ["practitioner-chinese-medicine"] = "中医执业医师",
        ["practitioner-dental"] = "口腔执业医师",
        ["practitioner-public-health"] = "公共卫生执业医师",
        ["assistant-clinical"] = "临床执业助理医师",
        ["assistant-chinese-medicine"] = "中医执业助理医师",
        ["assistant-dental"] = "口腔执业助理医师",
        ["assistant-public-health"] = "公共卫生执业助理医师",
        ["chinese-medicine-mentorship"] = "中医（传统医学师承）",
        ["chinese-medicine-expertise"] = "中医（传统医学确有专长）",
    };

    public static string Label(string code) => Labels.TryGetValue(code, out var label) ? label : code;
}

/// <summary>The codes of the profile facts, shared with MaterialStorage's rule language through CandidateProfileChanged.</summary>
public static class ProfileValues
{
    public static readonly IReadOnlySet<string> EducationLevels = new HashSet<string>(StringComparer.Ordinal) { "secondary", "college", "bachelor", "master", "doctorate" };
    public static readonly IReadOnlySet<string> PostgraduateStatuses = new HashSet<string>(StringComparer.Ordinal) { "none", "graduating-this-year", "graduated" };
    public static readonly IReadOnlySet<string> EmployerTypes = new HashSet<string>(StringComparer.Ordinal) { "grade-3a-hospital", "cdc", "other" };
    public static readonly IReadOnlySet<string> Nationalities = new HashSet<string>(StringComparer.Ordinal) { "mainland", "hong-kong-macao-taiwan", "foreign" };
    public static readonly IReadOnlySet<string> QualificationRoutes = new HashSet<string>(StringComparer.Ordinal) { "education", "mentorship", "expertise" };
}
