using System.Text.RegularExpressions;
using ExamReview.Contracts;

namespace ExamReview.Registration.Domain;

/// <summary>
/// The candidate's situation (seeds/004) as the facts that decide which materials are needed. What a candidate leaves
/// out is <see cref="Plain"/>'s: a first-time, mainland bachelor graduate qualifying by education, with one
/// trial-period institution (everyone has one at least).
/// </summary>
public sealed partial record CandidateProfile(
    string EducationLevel,
    bool UpgradedFromCollege,
    DateOnly? UpgradeEntryDate,
    string PostgraduateStatus,
    DateOnly? PostgraduateEntryDate,
    bool RepeatCandidate,
    int? PreviousExamYear,
    string EmployerType,
    bool HoldsAssistantLicence,
    bool ForeignDegree,
    string Nationality,
    int TrialInstitutionCount,
    string? PreviousExamArea,
    string QualificationRoute)
{
    public const int MaxTrialInstitutions = 10;

    public static readonly CandidateProfile Plain = new("bachelor", false, null, "none", null, false, null, "other", false, false, "mainland", 1, null, "education");

    /// <summary>
    /// What is wrong with the facts, field by field (named as the request nests them, under "profile."), in the order a
    /// candidate reads the form; empty when nothing is. Dates are checked against <paramref name="today"/>.
    /// </summary>
    public IReadOnlyList<(string Field, string Zh, string En)> Problems(DateOnly today)
    {
        var problems = new List<(string Field, string Zh, string En)>();
        void Require(bool condition, string field, string zh, string en)
        {
            if (!condition)
            {
                problems.Add(("profile." + field, zh, en));
            }
        }
        Require(ProfileValues.EducationLevels.Contains(EducationLevel), "educationLevel", OneOfZh(ProfileValues.EducationLevels), OneOfEn(ProfileValues.EducationLevels));
        Require(ProfileValues.PostgraduateStatuses.Contains(PostgraduateStatus), "postgraduateStatus", OneOfZh(ProfileValues.PostgraduateStatuses), OneOfEn(ProfileValues.PostgraduateStatuses));
        Require(ProfileValues.EmployerTypes.Contains(EmployerType), "employerType", OneOfZh(ProfileValues.EmployerTypes), OneOfEn(ProfileValues.EmployerTypes));
        Require(ProfileValues.Nationalities.Contains(Nationality), "nationality", OneOfZh(ProfileValues.Nationalities), OneOfEn(ProfileValues.Nationalities));
        Require(TrialInstitutionCount is >= 1 and <= MaxTrialInstitutions, "trialInstitutionCount",
            $"应为 1 到 {MaxTrialInstitutions}（每位考生至少有一个试用期机构）。", $"must be from 1 to {MaxTrialInstitutions} (every candidate has one trial-period institution at least)");
        Require(ProfileValues.QualificationRoutes.Contains(QualificationRoute), "qualificationRoute", OneOfZh(ProfileValues.QualificationRoutes), OneOfEn(ProfileValues.QualificationRoutes));
        Require(PreviousExamArea is null || (RepeatCandidate && AreaCodePattern().IsMatch(PreviousExamArea)), "previousExamArea", "仅非首次报考的考生填写：上次参加考试的考区代码。",
            "is only given for a repeat candidate: the code of the exam area (考区) of the earlier sitting");
        Require(!UpgradedFromCollege || UpgradeEntryDate is not null, "upgradeEntryDate", "专升本考生必填（本科入学日期）。",
            "is required for 专升本 (the date of entry into the bachelor programme)");
        Require(UpgradedFromCollege || UpgradeEntryDate is null, "upgradeEntryDate", "仅专升本考生填写（upgradedFromCollege = true）。",
            "is only given for 专升本 (upgradedFromCollege = true)");
        Require(UpgradeEntryDate is null || UpgradeEntryDate <= today, "upgradeEntryDate", "不能晚于今天。", "must not be in the future");
        Require(PostgraduateStatus == "none" || EducationLevel is "master" or "doctorate", "postgraduateStatus", "学历须为硕士或博士。", "needs educationLevel master or doctorate");
        Require(PostgraduateStatus != "graduated" || PostgraduateEntryDate is not null, "postgraduateEntryDate", "研究生已毕业的考生必填。", "is required for a graduated postgraduate");
        Require(PostgraduateEntryDate is null || PostgraduateStatus != "none", "postgraduateEntryDate", "仅研究生填写。", "is only given for postgraduates");
        Require(PostgraduateEntryDate is null || PostgraduateEntryDate <= today, "postgraduateEntryDate", "不能晚于今天。", "must not be in the future");
        Require(!RepeatCandidate || PreviousExamYear is not null, "previousExamYear", "非首次报考的考生必填。", "is required for a repeat candidate (非首次报考)");
        Require(PreviousExamYear is null || (RepeatCandidate && PreviousExamYear >= 1999 && PreviousExamYear <= today.Year), "previousExamYear",
            "仅非首次报考的考生填写，且应为已经举行过的考试年度。", "is only given for a repeat candidate, and must be a past exam year");
        return problems;
    }

    private static string OneOfZh(IEnumerable<string> values) => $"必须是以下之一：{string.Join("、", values)}。";

    private static string OneOfEn(IEnumerable<string> values) => $"must be one of: {string.Join(", ", values)}";

    [GeneratedRegex(@"^[A-Za-z0-9]{2,16}\z")]
    private static partial Regex AreaCodePattern();
}
