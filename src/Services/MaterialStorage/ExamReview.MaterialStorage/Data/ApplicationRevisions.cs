using ExamReview.MaterialStorage.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExamReview.MaterialStorage.Data;

/// <summary>
/// Gives every application row and image row about to be saved a new revision, in the same save. The candidate's
/// page (ApplicationPageStamp) derives its ETag from the application's revision and its images' count and revisions,
/// so no change to what the page shows can keep an old ETag. Images carry their own revision so that a verdict or an
/// upload does not have to update (and lock) the application's row.
/// </summary>
internal sealed class ApplicationRevisions : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Revise(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Revise(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Revise(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // Entries() detects changes first, so an entity changed through its properties counts as Modified here.
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case MaterialApplication application:
                    application.Revise();
                    break;
                case MaterialImage image:
                    image.Revise();
                    break;
            }
        }
    }
}
