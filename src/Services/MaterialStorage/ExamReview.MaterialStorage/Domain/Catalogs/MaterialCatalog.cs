namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>One material type of a catalog, with the rule that decides whether a candidate needs it.</summary>
public sealed record MaterialTypeDefinition(
    string Code,
    string Name,
    string Description,
    string? ExampleImage,
    int MinCount,
    int MaxCount,
    FactDefinition? CountFact,
    Rule Rule);

/// <summary>What one material type means for one candidate: requirement and the counts that follow from it.</summary>
public sealed record MaterialRequirement(MaterialTypeDefinition Type, Requirement Requirement, int MinCount, int MaxCount)
{
    public bool Applies => Requirement != Requirement.NotApplicable;
}

/// <summary>
/// A loaded, checked catalog (per exam year and area). <see cref="Evaluate"/> turns a candidate profile
/// into the candidate's requirements; it cannot fail, because every name and type was checked at load.
/// </summary>
public sealed class MaterialCatalog(IReadOnlyList<MaterialTypeDefinition> types, IReadOnlyDictionary<string, Condition> conditions)
{
    public IReadOnlyList<MaterialTypeDefinition> Types { get; } = types;

    public IReadOnlyDictionary<string, Condition> Conditions { get; } = conditions;

    public MaterialTypeDefinition? Find(string? code) => Types.FirstOrDefault(t => t.Code == code);

    public MaterialRequirement Evaluate(MaterialTypeDefinition type, CandidateProfile profile)
    {
        var requirement = type.Rule.Evaluate(profile, Conditions);
        var perCandidate = type.CountFact?.Read(profile) is int count ? count : 0;
        var min = requirement == Requirement.Required
            ? Math.Min(type.MaxCount, Math.Max(Math.Max(type.MinCount, 1), perCandidate)) // e.g. one trial-period certificate per institution
            : 0;
        return new MaterialRequirement(type, requirement, min, requirement == Requirement.NotApplicable ? 0 : type.MaxCount);
    }

    public IReadOnlyList<MaterialRequirement> Evaluate(CandidateProfile profile) => Types.Select(t => Evaluate(t, profile)).ToList();
}
