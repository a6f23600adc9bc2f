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
        return application is null ? null : await AroundAsync(db, catalogs, application, ct);
    }

    /// <summary>
    /// The rest of the context of an application already loaded (a review command's consumer loads it behind its row lock):
    /// the same settings, catalog and profile a candidate's write is decided with.
    /// </summary>
    public static async Task<ApplicationContext> AroundAsync(MaterialStorageDbContext db, CatalogStore catalogs, MaterialApplication application, CancellationToken ct)
    {
        // The area's settings, the profile copy and which catalog is in force, in one round trip (issue 19: every page
        // read, upload and submit loads this; four round trips were the top of MaterialStorage's profile).
        var inForce = CatalogStore.InForce(db, application.ExamYear, application.AreaCode);
        var around = await db.Applications.AsNoTracking()
            .Where(a => a.Id == application.Id)
            .Select(a => new
            {
                Settings = db.AreaSettings.FirstOrDefault(s => s.AreaCode == a.AreaCode),
                ProfileJson = db.Profiles.Where(p => p.CandidateId == a.CandidateId).Select(p => p.FactsJson).FirstOrDefault(),
                CatalogInForce = inForce.FirstOrDefault(),
            })
            .SingleAsync(ct);
        var settings = around.Settings ?? AreaSettings.Default(application.AreaCode);
        // The area's mode applies until the application is under review; a review in progress keeps the mode it started with.
        if (application.State is ApplicationState.Open or ApplicationState.Returned)
        {
            application.SubmissionMode = settings.SubmissionMode;
        }
        // A locked application keeps the catalog it was submitted against; otherwise the one in force applies.
        var catalog = application is { IsLocked: true, CatalogId: { } pinned } ? await catalogs.FindByIdAsync(db, pinned, ct) : null;
        catalog ??= around.CatalogInForce is { } current ? await catalogs.FindByIdAsync(db, current, ct) : null;
        // Until Registration's profile arrives the plain case applies (first-time mainland bachelor graduate).
        var profile = around.ProfileJson is null ? new CandidateProfile() : ProfileCopies.Deserialize(around.ProfileJson);
        return new ApplicationContext(application, settings, catalog, profile, around.ProfileJson is not null);
    }

    /// <summary>What a submission round opened now is measured against.</summary>
    public RoundFacts RoundFacts() => new(Catalog, Profile);

    public IReadOnlyList<ChecklistLine> Checklist() =>
        Catalog is null ? [] : Checklists.For(Catalog.Catalog, Profile, Application.Images);
}
