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

    /// <summary>
    /// The refusal of a settings or catalog request naming an area Registration has not announced (yet): the same
    /// words as every service's (<see cref="UnknownPlaces"/>).
    /// </summary>
    public static Refusal Unknown(string areaCode)
    {
        var (zh, en) = UnknownPlaces.AreaText(areaCode);
        return new(RefusalKind.NotFound, UnknownPlaces.AreaCode, zh, en);
    }
}
