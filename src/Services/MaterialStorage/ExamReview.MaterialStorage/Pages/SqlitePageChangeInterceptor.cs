using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Pages;

/// <summary>
/// On SQLite (the embedded run, one process) the context that saves tells <see cref="PageChanges"/> whose pages
/// changed once the change is committed (<see cref="AfterCommitInterceptor"/>: a page woken earlier would read the old
/// stamp). PostgreSQL's triggers do this job there.
/// </summary>
internal sealed class SqlitePageChangeInterceptor : AfterCommitInterceptor
{
    public static readonly SqlitePageChangeInterceptor Instance = new();

    private SqlitePageChangeInterceptor()
    {
    }

    /// <summary>The same rows the PostgreSQL triggers watch: applications, images, profile copies; catalogs and area settings for everyone.</summary>
    protected override void Note(DbContext context)
    {
        if (context is not MaterialStorageDbContext db)
        {
            return;
        }
        var pending = db.PendingPageChanges;
        var applications = db.ChangeTracker.Entries<MaterialApplication>().ToDictionary(e => e.Entity.Id, e => e.Entity.CandidateId);
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case MaterialApplication application:
                    pending.Candidates.Add(application.CandidateId);
                    break;
                case MaterialImage image when applications.TryGetValue(image.ApplicationId, out var candidateId):
                    pending.Candidates.Add(candidateId);
                    break;
                case CandidateProfileCopy profile:
                    pending.Candidates.Add(profile.CandidateId);
                    break;
                case MaterialImage or CatalogVersion or AreaSettings:
                    pending.Everyone = true; // an image saved without its application, a catalog, an area's settings
                    break;
            }
        }
    }

    protected override void Committed(DbContext context)
    {
        if (context is not MaterialStorageDbContext { PendingPageChanges: { IsEmpty: false } pending } db)
        {
            return;
        }
        var changes = ApplicationService<PageChanges>(db);
        if (pending.Everyone)
        {
            changes?.ChangedEverywhere();
        }
        else
        {
            foreach (var candidateId in pending.Candidates)
            {
                changes?.Changed(candidateId);
            }
        }
        pending.Clear();
    }

    protected override void Forget(DbContext context) => (context as MaterialStorageDbContext)?.PendingPageChanges.Clear();
}

/// <summary>The pages a context's saves changed, waiting for the commit (SQLite only).</summary>
internal sealed class PendingPageChanges
{
    public HashSet<Guid> Candidates { get; } = [];

    public bool Everyone { get; set; }

    public bool IsEmpty => Candidates.Count == 0 && !Everyone;

    public void Clear()
    {
        Candidates.Clear();
        Everyone = false;
    }
}
