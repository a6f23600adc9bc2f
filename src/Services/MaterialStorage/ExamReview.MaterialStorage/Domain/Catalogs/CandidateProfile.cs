namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>
/// The facts about a candidate that decide which materials apply (seeds/004). Registration owns them and
/// publishes CandidateProfileChanged; MaterialStorage keeps this copy to evaluate catalog rules.
/// </summary>
public sealed record CandidateProfile
{
    public string ExamCategory { get; init; } = "practitioner-clinical";
    public string EducationLevel { get; init; } = "bachelor";
    public bool UpgradedFromCollege { get; init; }
    public DateOnly? UpgradeEntryDate { get; init; }
    public string PostgraduateStatus { get; init; } = "none";
    public DateOnly? PostgraduateEntryDate { get; init; }
    public bool RepeatCandidate { get; init; }
    public int? PreviousExamYear { get; init; }

    /// <summary>The exam area (考区 code) of that earlier sitting: area notices such as Hunan's reduced set depend on it.</summary>
    public string? PreviousExamArea { get; init; }
    public string EmployerType { get; init; } = "other";
    public bool HoldsAssistantLicence { get; init; }
    public bool ForeignDegree { get; init; }
    public string Nationality { get; init; } = "mainland";

    /// <summary>Every candidate has completed a trial period at one institution at least (seeds/004).</summary>
    public int TrialInstitutionCount { get; init; } = 1;

    /// <summary>How the candidate qualifies: by education, or as 师承 / 确有专长 (which needs that certificate).</summary>
    public string QualificationRoute { get; init; } = "education";
}

public enum FactType
{
    Boolean,
    Number,
    Date,
    Text,
}

/// <summary>A fact a rule may name: its type, the values a text fact can take, and how to read it from a profile.</summary>
public sealed record FactDefinition(string Name, FactType Type, IReadOnlySet<string>? AllowedValues, Func<CandidateProfile, object?> Read);

/// <summary>
/// The closed vocabulary of the rule language. A catalog naming anything else is refused when it is loaded,
/// so a typo never silently turns a required material into a not-applicable one.
/// </summary>
public static class ProfileFacts
{
    public static readonly IReadOnlySet<string> ExamCategories = Set(
        "practitioner-clinical", "practitioner-chinese-medicine", "practitioner-dental", "practitioner-public-health",
        "assistant-clinical", "assistant-chinese-medicine", "assistant-dental", "assistant-public-health",
        "chinese-medicine-mentorship", "chinese-medicine-expertise");

    public static readonly IReadOnlySet<string> EducationLevels = Set("secondary", "college", "bachelor", "master", "doctorate");
    public static readonly IReadOnlySet<string> PostgraduateStatuses = Set("none", "graduating-this-year", "graduated");
    public static readonly IReadOnlySet<string> EmployerTypes = Set("grade-3a-hospital", "cdc", "other");
    public static readonly IReadOnlySet<string> QualificationRoutes = Set("education", "mentorship", "expertise");
    public static readonly IReadOnlySet<string> Nationalities = Set("mainland", "hong-kong-macao-taiwan", "foreign");

    public static readonly IReadOnlyDictionary<string, FactDefinition> All = new FactDefinition[]
    {
        new("examCategory", FactType.Text, ExamCategories, p => p.ExamCategory),
        new("educationLevel", FactType.Text, EducationLevels, p => p.EducationLevel),
        new("upgradedFromCollege", FactType.Boolean, null, p => p.UpgradedFromCollege),
        new("upgradeEntryDate", FactType.Date, null, p => p.UpgradeEntryDate),
        new("postgraduateStatus", FactType.Text, PostgraduateStatuses, p => p.PostgraduateStatus),
        new("postgraduateEntryDate", FactType.Date, null, p => p.PostgraduateEntryDate),
        new("repeatCandidate", FactType.Boolean, null, p => p.RepeatCandidate),
        new("previousExamYear", FactType.Number, null, p => p.PreviousExamYear),
        // Any area code: the areas are data in Registration, so the rule language cannot list them.
        new("previousExamArea", FactType.Text, null, p => p.PreviousExamArea),
        new("employerType", FactType.Text, EmployerTypes, p => p.EmployerType),
        new("holdsAssistantLicence", FactType.Boolean, null, p => p.HoldsAssistantLicence),
        new("foreignDegree", FactType.Boolean, null, p => p.ForeignDegree),
        new("nationality", FactType.Text, Nationalities, p => p.Nationality),
        new("trialInstitutionCount", FactType.Number, null, p => p.TrialInstitutionCount),
        new("qualificationRoute", FactType.Text, QualificationRoutes, p => p.QualificationRoute),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);
}
