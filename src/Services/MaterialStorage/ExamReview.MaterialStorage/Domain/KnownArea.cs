using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// An exam area (考区) as Registration announced it (ExamAreaChanged), or one of the areas Registration starts with
/// (seeded, never announced). An operator sets upload settings and loads catalogs for these areas only: settings or a
/// catalog stored for a code no candidate can register in would apply to nobody, silently.
/// </summary>
public sealed class KnownArea
{
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>The refusal of a settings or catalog request naming an area Registration never announced.</summary>
    public static Refusal Unknown(string areaCode) => new(RefusalKind.NotFound, "unknown_area",
        $"考区“{ProblemText.Echo(areaCode)}”不存在（考区由报名服务维护）。",
        $"Exam area '{ProblemText.Echo(areaCode)}' does not exist (areas are kept by Registration).");
}
