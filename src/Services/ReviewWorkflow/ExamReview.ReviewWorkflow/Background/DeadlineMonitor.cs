using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.ReviewWorkflow.Background;

public sealed record DeadlineScanResult(int ClaimsExpired, int RemindersSent, int WindowsExpired, int Escalated);

/// <summary>
/// One pass over the deadlines, all measured with the injected <see cref="TimeProvider"/>: expired claims go
/// back to the queue; returned applications near the end of their response window get one reminder
/// (<see cref="ReturnDeadlineApproaching"/>); ended windows are flagged overdue and handled as the area
/// configures (<see cref="ExpiryBehaviour"/>). Each case is its own transaction guarded by the case's version,
/// so replicas scanning at once, or a reviewer acting at that moment, never double an effect.
/// </summary>
public sealed class DeadlineScanner(ReviewDbContext db, TimeProvider clock, IOptions<ReviewOptions> options, ILogger<DeadlineScanner> logger)
{
    public const string SystemActor = "system";
    private const int Batch = 200;

    public async Task<DeadlineScanResult> ScanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var deadlines = options.Value.Deadlines;
        int claims = 0, reminders = 0, expired = 0, escalated = 0;

        var staleClaims = await db.Cases.Where(c => c.ClaimExpiresAt != null && c.ClaimExpiresAt <= now)
            .OrderBy(c => c.ClaimExpiresAt).Select(c => c.Id).Take(Batch).ToListAsync(ct);
        foreach (var id in staleClaims)
        {
            claims += await ApplyAsync(id, c =>
            {
                if (c.ClaimExpiresAt is not { } until || until > now)
                {
                    return false;
                }
                Timeline.Record(db, c, CaseEventKinds.ClaimExpired, SystemActor, TimelineText.LeaseEnded(c.ClaimedBy, until), now);
                c.ReleaseClaim(now);
                return true;
            }, ct);
        }

        var returned = await DueReturnsAsync(deadlines, now, ct);
        foreach (var id in returned)
        {
            await ApplyAsync(id, c =>
            {
                if (c.State != CaseState.Returned || c.RespondBy is not { } due)
                {
                    return false;
                }
                var policy = deadlines.For(c.AreaCode);
                var changed = false;
                if (c.ReminderSentAt is null && due - policy.ReminderBefore <= now && due > now)
                {
                    c.ReminderSentAt = now;
                    db.Publish(new ReturnDeadlineApproaching(c.Id, c.ApplicationId, c.CandidateId, c.AreaCode, due));
                    Timeline.Record(db, c, CaseEventKinds.ReminderSent, SystemActor, TimelineText.RespondBy(due), now);
                    reminders++;
                    changed = true;
                }
                if (c.ResponseWindowExpiredAt is null && due <= now)
                {
                    c.ResponseWindowExpiredAt = now;
                    Timeline.Record(db, c, CaseEventKinds.ResponseWindowExpired, SystemActor, TimelineText.NoResubmission(due, policy.OnExpiry), now);
                    expired++;
                    if (policy.OnExpiry == ExpiryBehaviour.Escalate)
                    {
                        c.EscalatedAt = now;
                        Timeline.Record(db, c, CaseEventKinds.Escalated, SystemActor, TimelineText.EscalatedToArea, now);
                        escalated++;
                    }
                    changed = true;
                }
                return changed;
            }, ct);
        }
        return new DeadlineScanResult(claims, reminders, expired, escalated);
    }

    /// <summary>
    /// The returned cases with something to do now, earliest window end first: a reminder that is due by its own area's
    /// lead (asked per lead, so an area reminding 4 h ahead never fills a batch with cases that an area reminding 12 h
    /// ahead would have to wait behind), or an ended window not yet flagged. A window that ended without its reminder
    /// (missed while the service was down) wants only its flag: matching "no reminder sent" alone kept such cases first
    /// in every batch, and 200 of them left every other case's reminder and expiry undone for good.
    /// </summary>
    private async Task<List<Guid>> DueReturnsAsync(DeadlineOptions deadlines, DateTimeOffset now, CancellationToken ct)
    {
        var open = db.Cases.Where(c => c.State == CaseState.Returned && c.RespondBy != null);
        var ids = await open.Where(c => c.ResponseWindowExpiredAt == null && c.RespondBy <= now)
            .OrderBy(c => c.RespondBy).Select(c => c.Id).Take(Batch).ToListAsync(ct);
        var awaitingReminder = open.Where(c => c.ReminderSentAt == null && c.RespondBy > now);
        var ownLeads = deadlines.Areas.Where(a => a.Value.ReminderBefore is not null).ToList();
        var withOwnLead = ownLeads.Select(a => a.Key).ToList();
        var defaultUntil = now + deadlines.ReminderBefore;
        ids.AddRange(await awaitingReminder.Where(c => !withOwnLead.Contains(c.AreaCode) && c.RespondBy <= defaultUntil)
            .OrderBy(c => c.RespondBy).Select(c => c.Id).Take(Batch).ToListAsync(ct));
        foreach (var lead in ownLeads.GroupBy(a => a.Value.ReminderBefore!.Value))
        {
            var areas = lead.Select(a => a.Key).ToList();
            var until = now + lead.Key;
            ids.AddRange(await awaitingReminder.Where(c => areas.Contains(c.AreaCode) && c.RespondBy <= until)
                .OrderBy(c => c.RespondBy).Select(c => c.Id).Take(Batch).ToListAsync(ct));
        }
        return ids.Distinct().ToList();
    }

    /// <summary>Applies one change to one case in its own transaction; a concurrent change wins and this one is dropped.</summary>
    private async Task<int> ApplyAsync(Guid caseId, Func<ReviewCase, bool> change, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var reviewCase = await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (reviewCase is null || !change(reviewCase))
        {
            return 0;
        }
        reviewCase.Touch(clock.GetUtcNow());
        try
        {
            await db.CommitAsync(ct);
            return 1;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Case {CaseId} changed during the deadline scan; the next scan looks again", caseId);
            return 0;
        }
    }
}

/// <summary>Runs <see cref="DeadlineScanner"/> every <see cref="DeadlineOptions.ScanInterval"/>.</summary>
public sealed class DeadlineMonitor(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ReviewOptions> options, ILogger<DeadlineMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Deadlines.ScanInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<DeadlineScanner>().ScanAsync(stoppingToken);
                if (result != new DeadlineScanResult(0, 0, 0, 0))
                {
                    logger.LogInformation("Deadline scan: {Result}", result);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment: the next tick tries again.
                logger.LogWarning(e, "Deadline scan failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
