using System.Data.Common;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Publication;

/// <summary>
/// Announces every held result still waiting for its round to Registration (<see cref="ResultRelease.Announce"/>), once
/// per start, after the migrations. Results held before the announcement existed were never announced, and their
/// candidates could otherwise change the photo and profile the site passed until the round publishes; a result
/// announced already (at its decision, or by an earlier start or another replica) is announced again, which Registration
/// ignores: it takes a held result only over a lower position. Results held before positions were kept (case version 0)
/// have none to order by and are left to their round.
/// </summary>
public sealed class HeldResultAnnouncer(IServiceScopeFactory scopes, ILogger<HeldResultAnnouncer> logger) : BackgroundService
{
    public const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var announced = await AnnounceAsync(stoppingToken);
            if (announced > 0)
            {
                logger.LogInformation("Announced {Count} held result(s) waiting for their rounds to Registration", announced);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException or InvalidOperationException)
        {
            // Decisions announce their own results; only those held before the announcement existed wait for the next start.
            logger.LogError(ex, "Announcing held results to Registration failed");
        }
    }

    /// <summary>Announces the held results pending now, one transaction per batch; returns how many.</summary>
    public async Task<int> AnnounceAsync(CancellationToken ct)
    {
        List<Guid> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            pending = await Pending(scope.ServiceProvider.GetRequiredService<ReviewDbContext>()).Select(h => h.Id).ToListAsync(ct);
        }
        var announced = 0;
        foreach (var batch in pending.Chunk(BatchSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            // Read again: one published or withdrawn meanwhile is the round's now.
            var held = await Pending(db).Where(h => batch.Contains(h.Id)).ToListAsync(ct);
            foreach (var result in held)
            {
                ResultRelease.Announce(db, result);
            }
            await db.CommitAsync(ct);
            announced += held.Count;
        }
        return announced;
    }

    private static IQueryable<HeldResult> Pending(ReviewDbContext db) =>
        db.HeldResults().AsNoTracking().Where(h => h.PublishedAt == null && h.WithdrawnAt == null && h.CaseVersion > 0).OrderBy(h => h.Id);
}
