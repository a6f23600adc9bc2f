using System.Collections.Concurrent;
using ExamReview.MaterialStorage.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Domain.Catalogs;

/// <summary>The catalog in force for a candidate, with where it came from.</summary>
public sealed record EffectiveCatalog(Guid Id, int ExamYear, string AreaCode, int Version, MaterialCatalog Catalog);

/// <summary>
/// Finds the catalog in force for an exam year and area: the area's own latest version, else the national
/// default of that year. Stored versions never change, so the parsed form is cached by version id.
/// </summary>
public sealed class CatalogStore
{
    public const string SeedResourceName = "ExamReview.MaterialStorage.SeedCatalog.json";

    /// <summary>
    /// Areas whose notice adds rules of its own, each seeded with a catalog of its own (embedded as
    /// SeedCatalog.&lt;area&gt;.json): 43 = Hunan, whose 2017–2020 repeat candidates upload a reduced set (seeds/004).
    /// </summary>
    public static readonly IReadOnlyList<string> SeededAreas = ["43"];

    private readonly ConcurrentDictionary<Guid, MaterialCatalog> _parsed = new();
    private readonly ConcurrentDictionary<Guid, EffectiveCatalog> _effective = new();

    /// <summary>The seed document of an area (<see cref="CatalogVersion.NationalArea"/> = the national default).</summary>
    public static string SeedDocument(string areaCode = CatalogVersion.NationalArea)
    {
        var name = areaCode == CatalogVersion.NationalArea ? SeedResourceName : $"ExamReview.MaterialStorage.SeedCatalog.{areaCode}.json";
        using var stream = typeof(CatalogStore).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async Task<EffectiveCatalog?> FindAsync(MaterialStorageDbContext db, int examYear, string areaCode, CancellationToken ct)
    {
        // Only the id travels on every request (issue 19: every candidate page, upload and submit asks); the
        // document, tens of kilobytes, is read once per version.
        var id = await InForce(db, examYear, areaCode).FirstOrDefaultAsync(ct);
        return id is null ? null : await FindByIdAsync(db, id.Value, ct);
    }

    /// <summary>
    /// The id of the version in force for (exam year, area), first: the area's own highest version, else the national
    /// one's. A query, so a caller can fold it into a read of its own (ApplicationContext) instead of a round trip.
    /// </summary>
    public static IQueryable<Guid?> InForce(MaterialStorageDbContext db, int examYear, string areaCode) =>
        db.Catalogs.AsNoTracking()
            .Where(c => c.ExamYear == examYear && (c.AreaCode == areaCode || c.AreaCode == CatalogVersion.NationalArea))
            .OrderBy(c => c.AreaCode == CatalogVersion.NationalArea ? 1 : 0)
            .ThenByDescending(c => c.Version)
            .Select(c => (Guid?)c.Id);

    /// <summary>One stored version by id (a pinned submission's catalog); null if it does not exist.</summary>
    public async Task<EffectiveCatalog?> FindByIdAsync(MaterialStorageDbContext db, Guid id, CancellationToken ct)
    {
        if (_effective.TryGetValue(id, out var cached))
        {
            return cached;
        }
        var version = await db.Catalogs.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return version is null
            ? null
            : _effective.GetOrAdd(id, _ => new EffectiveCatalog(version.Id, version.ExamYear, version.AreaCode, version.Version, Parse(version)));
    }

    public MaterialCatalog Parse(CatalogVersion version) => _parsed.GetOrAdd(version.Id, _ =>
    {
        var (catalog, errors) = CatalogParser.ParseStored(version.Document);
        // Only checked documents are stored; failing here means the row was edited behind the API's back.
        return catalog ?? throw new InvalidOperationException(
            $"Stored catalog {version.ExamYear}/{version.AreaCode} v{version.Version} is invalid: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.MessageEn}"))}");
    });
}
