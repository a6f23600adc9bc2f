using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// Everything the candidate's page depends on, read in one small query: the application's revision and its images'
/// count and revisions (each new with every change to the row), the area settings' and the profile copy's last change,
/// and the catalog in force.
/// Its ETag lets a browser polling the page while checks run get 304 without the application, images, catalog and
/// profile being loaded and the page rebuilt (issue 19: the page load was the top of MaterialStorage's profile).
/// </summary>
public sealed record ApplicationPageStamp(
    string SiteCode,
    string AreaCode,
    Guid Revision,
    int ImageCount,
    long ImageRevisions,
    Guid? PinnedCatalog,
    Guid? CatalogInForce,
    DateTimeOffset? SettingsChangedAt,
    DateTimeOffset? ProfileChangedAt)
{
    /// <summary>Bump when the page's shape changes, so pages cached under the old shape are not revalidated.</summary>
    private const string PageFormat = "page-1";

    public static Task<ApplicationPageStamp?> LoadAsync(MaterialStorageDbContext db, Guid candidateId, CancellationToken ct) =>
        db.Applications.AsNoTracking()
            .Where(a => a.CandidateId == candidateId)
            .Select(a => new ApplicationPageStamp(
                a.SiteCode,
                a.AreaCode,
                a.Revision,
                a.Images.Count(),
                a.Images.Sum(i => (long)i.Revision),
                a.CatalogId,
                // CatalogStore.InForce, spelled out: its year and area are this row's columns here, not values.
                db.Catalogs
                    .Where(c => c.ExamYear == a.ExamYear && (c.AreaCode == a.AreaCode || c.AreaCode == CatalogVersion.NationalArea))
                    .OrderBy(c => c.AreaCode == CatalogVersion.NationalArea ? 1 : 0)
                    .ThenByDescending(c => c.Version)
                    .Select(c => (Guid?)c.Id)
                    .FirstOrDefault(),
                db.AreaSettings.Where(s => s.AreaCode == a.AreaCode).Select(s => (DateTimeOffset?)s.UpdatedAt).FirstOrDefault(),
                db.Profiles.Where(p => p.CandidateId == a.CandidateId).Select(p => (DateTimeOffset?)p.UpdatedAt).FirstOrDefault()))
            .SingleOrDefaultAsync(ct);

    /// <summary>A strong validator: the same stamp always renders the same page.</summary>
    public EntityTagHeaderValue ETag
    {
        get
        {
            var text = string.Join('|', PageFormat, Revision.ToString("N"), ImageCount.ToString(CultureInfo.InvariantCulture),
                ImageRevisions.ToString(CultureInfo.InvariantCulture), PinnedCatalog?.ToString("N"), CatalogInForce?.ToString("N"),
                SettingsChangedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture), ProfileChangedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture));
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
            return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"");
        }
    }

    /// <summary>True when the request's If-None-Match names this page (or is *): the caller's copy is current.</summary>
    public bool Matches(HttpRequest request)
    {
        var etag = ETag;
        return request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } names
            && names.Any(name => name.Equals(EntityTagHeaderValue.Any) || name.Compare(etag, useStrongComparison: false));
    }
}
