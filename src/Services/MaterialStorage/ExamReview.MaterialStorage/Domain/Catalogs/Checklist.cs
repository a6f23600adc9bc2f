namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>One line of the candidate's checklist: what the type requires and where the candidate's images stand.</summary>
public sealed record ChecklistLine(
    MaterialRequirement Requirement,
    int Uploaded,
    int Missing,
    int FailedValidation,
    int Approved,
    int ReplacementRequested)
{
    public bool Full => Uploaded >= Requirement.MaxCount;
}

public static class Checklists
{
    /// <summary>Every type of the catalog (the seeds show the whole list), each evaluated for this candidate.</summary>
    public static IReadOnlyList<ChecklistLine> For(MaterialCatalog catalog, CandidateProfile profile, IReadOnlyCollection<MaterialImage> images) =>
        catalog.Evaluate(profile)
            .Select(requirement =>
            {
                var ofType = images.Where(i => i.MaterialType == requirement.Type.Code).ToList();
                // An image waiting to be replaced does not count towards the minimum: it has to go.
                var counted = ofType.Count(i => i.Review != ImageReviewState.ReplacementRequested);
                return new ChecklistLine(
                    requirement,
                    ofType.Count,
                    Math.Max(0, requirement.MinCount - counted),
                    ofType.Count(i => i.Validation == ValidationState.Failed),
                    ofType.Count(i => i.Review == ImageReviewState.Approved),
                    ofType.Count(i => i.Review == ImageReviewState.ReplacementRequested));
            })
            .ToList();
}
