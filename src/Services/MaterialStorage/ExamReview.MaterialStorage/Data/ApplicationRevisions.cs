using ExamReview.MaterialStorage.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExamReview.MaterialStorage.Data;

/// <summary>
/// Gives every application whose row or images are about to be saved a new <see cref="MaterialApplication.Revision"/>,
/// in the same save. The candidate's page (ApplicationApi) derives its ETag from it, so a change that slipped past
/// this would leave a browser showing a stale page: an image saved without its application loaded is refused here.
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
        context.ChangeTracker.DetectChanges();
        var changed = new HashSet<Guid>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case MaterialApplication application when entry.State is EntityState.Added or EntityState.Modified:
                    changed.Add(application.Id);
                    break;
                case MaterialImage image when entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted:
                    changed.Add(image.ApplicationId);
                    break;
            }
        }
        foreach (var id in changed)
        {
            var owner = context.ChangeTracker.Entries<MaterialApplication>().FirstOrDefault(e => e.Entity.Id == id)
                ?? throw new InvalidOperationException($"An image of application {id} is being saved without the application loaded; its page's revision would not change.");
            if (owner.State != EntityState.Deleted)
            {
                owner.Entity.Revise();
            }
        }
    }
}
