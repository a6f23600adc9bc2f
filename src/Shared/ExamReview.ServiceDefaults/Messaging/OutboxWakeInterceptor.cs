using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the outbox relays once outbox rows are in the database (<see cref="AfterCommitInterceptor"/>: after the
/// commit, a relay woken earlier would not see them). Every service context carries it (<see cref="ServiceDbContext"/>),
/// so handlers and consumers never pass the wake-up around; a context built without the application's
/// <see cref="OutboxSignal"/> (a migration tool) simply wakes nobody.
/// </summary>
internal sealed class OutboxWakeInterceptor : AfterCommitInterceptor
{
    public static readonly OutboxWakeInterceptor Instance = new();

    private OutboxWakeInterceptor()
    {
    }

    protected override void Note(DbContext context)
    {
        if (context is ServiceDbContext service && service.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            service.OutboxRowsAwaitingCommit = true;
        }
    }

    protected override void Committed(DbContext context)
    {
        if (context is ServiceDbContext { OutboxRowsAwaitingCommit: true } service)
        {
            service.OutboxRowsAwaitingCommit = false;
            ApplicationService<OutboxSignal>(service)?.Notify();
        }
    }

    protected override void Forget(DbContext context)
    {
        if (context is ServiceDbContext service)
        {
            service.OutboxRowsAwaitingCommit = false;
        }
    }
}
