using System.Text.Json;
using ExamReview.Contracts;

namespace ExamReview.MaterialStorage.Domain.Catalogs;

public static class ProfileCopies
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CandidateProfile FromMessage(CandidateProfileChanged m) => new()
    {
        ExamCategory = m.ExamCategory,
        EducationLevel = m.EducationLevel,
        UpgradedFromCollege = m.UpgradedFromCollege,
        UpgradeEntryDate = m.UpgradeEntryDate,
        PostgraduateStatus = m.PostgraduateStatus,
        PostgraduateEntryDate = m.PostgraduateEntryDate,
        RepeatCandidate = m.RepeatCandidate,
        PreviousExamYear = m.PreviousExamYear,
        EmployerType = m.EmployerType,
        HoldsAssistantLicence = m.HoldsAssistantLicence,
        ForeignDegree = m.ForeignDegree,
        Nationality = m.Nationality,
        // A message from before every candidate had to declare one institution still needs one certificate.
        TrialInstitutionCount = Math.Max(1, m.TrialInstitutionCount),
        PreviousExamArea = m.PreviousExamArea,
        QualificationRoute = m.QualificationRoute ?? "education",
    };

    public static string Serialize(CandidateProfile profile) => JsonSerializer.Serialize(profile, Json);

    public static CandidateProfile Deserialize(string json) => JsonSerializer.Deserialize<CandidateProfile>(json, Json) ?? new CandidateProfile();
}
