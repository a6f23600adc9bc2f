using ExamReview.ReviewWorkflow.Data;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Publication;

public sealed record RoundOutcome(Guid? RoundId, string Level, string ScopeCode, int Published, int Withdrawn, DateTimeOffset? ClosedAt);

/// <summary>
/// Closes a scope's round and releases its held results, in one transaction: each current result's event and
/// ApplicationResultPublished go to the outbox as the result is marked published, so every candidate's result SMS is
/// sent exactly once. Safe to retry: a second publish finds nothing held and sends nothing; two publishes racing over
/// the same results cannot both commit (the results' versions), and the loser sends nothing either.
/// </summary>
public sealed class RoundPublisher(ReviewDbContext db, TimeProvider clock)
{
    public async Task<RoundOutcome> PublishAsync(string level, string scopeCode, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.ResultRounds().Where(r => r.Level == level && r.ScopeCode == scopeCode && r.ClosedAt == null)
            .OrderBy(r => r.OpenedAt).FirstOrDefaultAsync(ct);
        var pending = await db.HeldResults()
            .Where(h => h.Level == level && h.ScopeCode == scopeCode && h.PublishedAt == null && h.WithdrawnAt == null && h.DecidedAt <= now)
            .ToListAsync(ct);
        if (open is null && pending.Count == 0)
        {
            // Already published (a retry), or nothing decided yet: nothing to send, report the last round.
            var last = await db.ResultRounds().AsNoTracking().Where(r => r.Level == level && r.ScopeCode == scopeCode && r.ClosedAt != null)
                .OrderByDescending(r => r.ClosedAt).FirstOrDefaultAsync(ct);
            return new RoundOutcome(last?.Id, level, scopeCode, 0, 0, last?.ClosedAt);
        }
        var round = open ?? NewRound(level, scopeCode, pending.Count == 0 ? now : pending.Min(h => h.DecidedAt));
        var caseIds = pending.Select(h => h.CaseId).Distinct().ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var (publish, withdraw) = PublicationRules.Partition(pending, cases);
        foreach (var held in publish)
        {
            ResultRelease.Publish(db, held, round.Id, now);
            held.Version++;
        }
        foreach (var held in withdraw)
        {
            held.WithdrawnAt = now;
            held.Version++;
        }
        round.ClosedAt = now;
        round.ClosedBy = actor;
        round.Published += publish.Count;
        round.Withdrawn += withdraw.Count;
        round.Version++;
        await db.CommitAsync(ct);
        return new RoundOutcome(round.Id, level, scopeCode, publish.Count, withdraw.Count, now);
    }

    /// <summary>
    /// Sets (or moves) the end date of the scope's open round, opening one if there is none. Two first end dates set at
    /// once both find no open round and both open one; the database keeps one open round per scope, so the second
    /// insert fails and that request sets its date on the round the first opened instead, as it would had it come a
    /// moment later. Null when the round changed between the read and the write — closed by a publish (an operator's,
    /// or its end date's) or moved by another request — and nothing was written: the caller says so (409), where the
    /// lost race used to escape as a 500.
    /// </summary>
    public async Task<ResultRound?> ScheduleAsync(string level, string scopeCode, DateTimeOffset endsAt, CancellationToken ct)
    {
        var openedByAnother = false;
        while (true)
        {
            var open = await db.ResultRounds().Where(r => r.Level == level && r.ScopeCode == scopeCode && r.ClosedAt == null)
                .OrderBy(r => r.OpenedAt).FirstOrDefaultAsync(ct);
            var round = open ?? NewRound(level, scopeCode, clock.GetUtcNow());
            round.EndsAt = endsAt;
            round.Version++;
            try
            {
                await db.CommitAsync(ct);
                return round;
            }
            catch (DbUpdateException e) when (e.IsLostRace())
            {
                // The commit rolled back as a whole: nothing of this request is written.
                db.ChangeTracker.Clear();
                if (open is not null || openedByAnother)
                {
                    return null;
                }
                openedByAnother = true;
            }
        }
    }

    private ResultRound NewRound(string level, string scopeCode, DateTimeOffset openedAt)
    {
        var round = new ResultRound { Id = Guid.CreateVersion7(), Level = level, ScopeCode = scopeCode, OpenedAt = openedAt };
        db.ResultRounds().Add(round);
        return round;
    }
}
