using ExamReview.Contracts;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.Registration.Domain;

/// <summary>
/// A candidate's registration as the candidate asks for it, before it is checked: what <see cref="CandidateRegistration.Open"/>
/// opens once <see cref="Problems"/> finds nothing wrong and the exam year, area and site are known to exist.
/// </summary>
public sealed record RegistrationDraft(
    string? FullName,
    string? IdNumber,
    string? MobileNumber,
    int ExamYear,
    string? AreaCode,
    string? SiteCode,
    string? ExamCategory,
    CandidateProfile Profile)
{
    public const string MobileZh = "手机号码应为以 1 开头的 11 位大陆手机号。";
    public const string MobileEn = "must be an 11-digit mainland mobile number starting with 1";

    /// <summary>What is wrong with each field, the registration's own first and then the profile's (<see cref="CandidateProfile.Problems"/>).</summary>
    public IReadOnlyList<(string Field, string Zh, string En)> Problems(DateOnly today)
    {
        var problems = new List<(string Field, string Zh, string En)>();
        void Require(bool condition, string field, string zh, string en)
        {
            if (!condition)
            {
                problems.Add((field, zh, en));
            }
        }
        if (PersonNames.Problem(FullName) is { } fullName)
        {
            problems.Add(("fullName", fullName.Zh, fullName.En));
        }
        if (ResidentIdNumbers.Problem(IdNumber, today) is { } idNumber)
        {
            problems.Add((ResidentIdNumbers.Field, idNumber.Zh, idNumber.En));
        }
        Require(MobileNumber is not null && CorrectableFields.MobilePattern().IsMatch(MobileNumber), "mobileNumber", MobileZh, MobileEn);
        Require(ExamYear is >= 2020 and <= 2100, "examYear", "应为四位数的考试年度。", "must be a four-digit exam year");
        Require(!string.IsNullOrWhiteSpace(AreaCode), "areaCode", "考区必填。", "is required");
        Require(!string.IsNullOrWhiteSpace(SiteCode), "siteCode", "考点必填。", "is required");
        Require(ExamCategory is not null && ExamCategories.All.Contains(ExamCategory), "examCategory", $"考试类别应为：{string.Join("、", ExamCategories.All)}。",
            $"must be one of: {string.Join(", ", ExamCategories.All)}");
        problems.AddRange(Profile.Problems(today));
        return problems;
    }

    /// <summary>
    /// A person registers once per exam year: refused when another registration of the draft's year holds the number
    /// (<paramref name="holder"/>, see <see cref="IdNumberClaim"/>).
    /// </summary>
    public (string Code, string DetailZh, string DetailEn)? RefuseIdNumber(Guid? holder) => IdNumberHolding.Refuse(holder, null);

    /// <summary>Where the candidate registers must exist: an exam year open for registration, the area, and a site of that area.</summary>
    public (string Code, string DetailZh, string DetailEn)? RefusePlace(bool yearOpen, bool areaExists, ExamSite? site)
    {
        if (!yearOpen)
        {
            return ("unknown_exam_year", $"{ExamYear} 年度考试未开放报名。", $"Exam year {ExamYear} is not open for registration.");
        }
        var (area, siteCode) = (ProblemText.Echo(AreaCode), ProblemText.Echo(SiteCode));
        if (!areaExists)
        {
            return ("unknown_area", $"考区“{area}”不存在。", $"Exam area '{area}' does not exist.");
        }
        return site is null || site.AreaCode != AreaCode
            ? ("unknown_site", $"考区“{area}”没有考点“{siteCode}”。", $"Exam site '{siteCode}' does not exist in area '{area}'.")
            : null;
    }
}

/// <summary>
/// What the candidate does to the registration: opens it, and changes the profile facts while the review allows it.
/// Each method decides; the caller loads, translates a refusal and commits the messages it publishes.
/// </summary>
public sealed partial class CandidateRegistration
{
    /// <summary>
    /// A new registration from a checked draft under a drawn registration number: the name without surrounding
    /// spaces, the ID number's check letter upper-case, the profile as given, at status 填报.
    /// </summary>
    public static CandidateRegistration Open(Guid candidateId, RegistrationDraft draft, string registrationNumber, DateTimeOffset now)
    {
        var registration = new CandidateRegistration
        {
            Id = Guid.CreateVersion7(),
            CandidateId = candidateId,
            RegistrationNumber = registrationNumber,
            ExamYear = draft.ExamYear,
            AreaCode = Checked(draft.AreaCode),
            SiteCode = Checked(draft.SiteCode),
            ExamCategory = Checked(draft.ExamCategory),
            FullName = Checked(draft.FullName).Trim(),
            IdNumber = Checked(draft.IdNumber).ToUpperInvariant(),
            MobileNumber = Checked(draft.MobileNumber),
            CreatedAt = now,
            UpdatedAt = now,
        };
        registration.SetProfile(draft.Profile);
        return registration;
    }

    /// <summary>The messages a new registration publishes: it exists, how to reach the candidate, and the profile facts.</summary>
    public IReadOnlyList<object> Opened() =>
    [
        new CandidateRegistered(CandidateId, Id, RegistrationNumber, ExamYear, AreaCode, SiteCode, ExamCategory),
        new CandidateContactChanged(CandidateId, AreaCode, MobileNumber, Version),
        ProfileChanged(),
    ];

    /// <summary>
    /// The candidate replaces the profile facts (checked by <see cref="CandidateProfile.Problems"/>) unless the review has
    /// looked at them as they are (<see cref="RefuseCandidateChange"/>): then nothing changes. A change is a new profile
    /// version, which <see cref="ProfileChanged"/> carries.
    /// </summary>
    public (string Code, string DetailZh, string DetailEn)? ChangeProfile(CandidateProfile profile, DateTimeOffset now)
    {
        if (RefuseCandidateChange() is { } refused)
        {
            return refused;
        }
        SetProfile(profile);
        ProfileVersion++;
        Version++;
        UpdatedAt = now;
        return null;
    }

    public CandidateProfileChanged ProfileChanged() => new(
        CandidateId, ProfileVersion, ExamCategory, EducationLevel, UpgradedFromCollege, UpgradeEntryDate, PostgraduateStatus,
        PostgraduateEntryDate, RepeatCandidate, PreviousExamYear, EmployerType, HoldsAssistantLicence, ForeignDegree, Nationality,
        TrialInstitutionCount, PreviousExamArea, QualificationRoute);

    private void SetProfile(CandidateProfile profile)
    {
        EducationLevel = profile.EducationLevel;
        UpgradedFromCollege = profile.UpgradedFromCollege;
        UpgradeEntryDate = profile.UpgradeEntryDate;
        PostgraduateStatus = profile.PostgraduateStatus;
        PostgraduateEntryDate = profile.PostgraduateEntryDate;
        RepeatCandidate = profile.RepeatCandidate;
        PreviousExamYear = profile.PreviousExamYear;
        EmployerType = profile.EmployerType;
        HoldsAssistantLicence = profile.HoldsAssistantLicence;
        ForeignDegree = profile.ForeignDegree;
        Nationality = profile.Nationality;
        TrialInstitutionCount = profile.TrialInstitutionCount;
        PreviousExamArea = profile.PreviousExamArea;
        QualificationRoute = profile.QualificationRoute;
    }

    private static string Checked(string? value) =>
        value ?? throw new InvalidOperationException("A registration is opened only from a draft that passed RegistrationDraft.Problems.");
}
