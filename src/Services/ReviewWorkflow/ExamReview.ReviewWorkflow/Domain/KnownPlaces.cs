namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// An exam area (考区) as Registration announced it (ExamAreaChanged), or one of the areas Registration starts with
/// (seeded, never announced). Operators name an area for its results round and its metrics; an area not here does
/// not exist, and naming it is refused rather than answered with an empty round or zero figures.
/// </summary>
public sealed class KnownArea
{
    public required string Code { get; set; }
    public required string Name { get; set; }
}

/// <summary>An exam site (考点) of an area as Registration announced it (ExamSiteChanged), or seeded; see <see cref="KnownArea"/>.</summary>
public sealed class KnownSite
{
    public required string Code { get; set; }
    public required string AreaCode { get; set; }
    public required string Name { get; set; }
}
