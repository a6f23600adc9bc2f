using Microsoft.EntityFrameworkCore;
using ExamReview.ReviewWorkflow.Data;

namespace ExamReview.ReviewWorkflow.Publication;

/// <summary>
/// Closes rounds whose end date has passed, as if the operator had published them. Replicas may scan at once: the
/// publisher's concurrency check lets one of them publish and the other finds nothing.
/// </summary>
public sealed class RoundCloser(IServiceScopeFactory scopes, PublicationOptions options, TimeProvider clock, ILogger<RoundCloser> logger) : BackgroundService
{
    public const string Actor = "round-end-date";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ScanInterval, clock);
        do
        {
            try
            {
                await CloseDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Closing due review rounds failed; trying again at the next scan");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> CloseDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var due = await db.ResultRounds().AsNoTracking().Where(r => r.ClosedAt == null && r.EndsAt != null && r.EndsAt <= now)
            .OrderBy(r => r.EndsAt).Select(r => new { r.Level, r.ScopeCode }).Take(100).ToListAsync(ct);
        var closed = 0;
        foreach (var round in due)
        {
            await using var each = scopes.CreateAsyncScope();
            var outcome = await each.ServiceProvider.GetRequiredService<RoundPublisher>().PublishAsync(round.Level, round.ScopeCode, Actor, ct);
            logger.LogInformation("Round {Level}/{Scope} closed at its end date: {Published} result(s) published, {Withdrawn} withdrawn",
                round.Level, round.ScopeCode, outcome.Published, outcome.Withdrawn);
            closed++;
        }
        return closed;
    }
}
