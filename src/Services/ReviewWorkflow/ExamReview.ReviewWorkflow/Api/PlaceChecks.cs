using ExamReview.ReviewWorkflow.Data;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>
/// Refuses an area or site code Registration never announced (see <see cref="Domain.KnownArea"/>): a round or metrics
/// for a place that does not exist would otherwise be answered as an empty one, and a round's end date stored for it.
/// A place the path names is a missing resource (404); one a filter names is a request that cannot be met (422). The
/// texts are every service's (<see cref="UnknownPlaces"/>): a typo, or a place Registration has not announced here yet.
/// </summary>
internal static class PlaceChecks
{
    public static async Task<ProblemHttpResult?> RefuseAreaAsync(ReviewDbContext db, string areaCode, int status, CancellationToken ct) =>
        await db.KnownAreas.AnyAsync(a => a.Code == areaCode, ct)
            ? null
            : UnknownPlaces.Area(status, areaCode);

    /// <summary>The site must exist, and be a site of <paramref name="areaCode"/> when one is given.</summary>
    public static async Task<ProblemHttpResult?> RefuseSiteAsync(ReviewDbContext db, string siteCode, string? areaCode, int status, CancellationToken ct)
    {
        var siteArea = await db.KnownSites.Where(s => s.Code == siteCode).Select(s => s.AreaCode).SingleOrDefaultAsync(ct);
        if (siteArea is not null && (areaCode is null || siteArea == areaCode))
        {
            return null;
        }
        return UnknownPlaces.Site(status, siteCode, areaCode, siteArea);
    }
}
