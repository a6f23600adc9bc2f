using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// Everything a candidate request needs about one application: the area's settings, the catalog that governs it
/// (the one in force, or the one a locked application was submitted against) and the profile.
/// </summary>
public sealed record ApplicationContext(
    MaterialApplication Application,
    AreaSettings Settings,
    EffectiveCatalog? Catalog,
    CandidateProfile Profile,
    bool ProfileReceived)
{
    public static async Task<ApplicationContext?> LoadAsync(
        MaterialStorageDbContext db, CatalogStore catalogs, Guid candidateId, bool tracking, CancellationToken ct)
    {
        var query = db.Applications.Include(a => a.Images).Where(a => a.CandidateId == candidateId);
        var application = await (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
        if (application is null)
        {
            return null;
        }
        var settings = await db.AreaSettings.AsNoTracking().SingleOrDefaultAsync(s => s.AreaCode == application.AreaCode, ct)
            ?? AreaSettings.Default(application.AreaCode);
        // The area's mode applies until the application is under review; a review in progress keeps the mode it started with.
        if (application.State is ApplicationState.Open or ApplicationState.Returned)
        {
            application.SubmissionMode = settings.SubmissionMode;
        }
        // A locked application keeps the catalog it was submitted against; otherwise the one in force applies.
        var catalog = application is { IsLocked: true, CatalogId: { } pinned } ? await catalogs.FindByIdAsync(db, pinned, ct) : null;
        catalog ??= await catalogs.FindAsync(db, application.ExamYear, application.AreaCode, ct);
        var copy = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CandidateId == candidateId, ct);
        // Until Registration's profile arrives the plain case applies (first-time mainland bachelor graduate).
        var profile = copy is null ? new CandidateProfile() : ProfileCopies.Deserialize(copy.FactsJson);
        return new ApplicationContext(application, settings, catalog, profile, copy is not null);
    }

    public IReadOnlyList<ChecklistLine> Checklist() =>
        Catalog is null ? [] : Checklists.For(Catalog.Catalog, Profile, Application.Images);
}
