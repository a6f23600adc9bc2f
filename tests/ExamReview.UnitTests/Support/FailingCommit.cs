using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Support;

/// <summary>
/// Fails the next transaction commit once armed (<see cref="FailNextCommit"/>), after the work before it ran: a consumer's
/// changes roll back as with a connection lost at the commit, and the bus delivers the message again. What a handler
/// does "once committed" must then happen once, not once per attempt.
/// </summary>
public sealed class FailingCommit : DbTransactionInterceptor
{
    private int _armed;

    /// <summary>Registers one instance on <typeparamref name="TContext"/>'s options (a harness's extra services).</summary>
    public static FailingCommit AddTo<TContext>(IServiceCollection services) where TContext : DbContext
    {
        var failing = new FailingCommit();
        services.AddSingleton(failing);
        services.ConfigureDbContext<TContext>(o => o.AddInterceptors(failing));
        return failing;
    }

    public void FailNextCommit() => Interlocked.Exchange(ref _armed, 1);

    /// <summary>Whether the armed failure has happened.</summary>
    public bool Spent => Volatile.Read(ref _armed) == 0;

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        FailIfArmed();
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        FailIfArmed();
        return ValueTask.FromResult(result);
    }

    private void FailIfArmed()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            throw new InvalidOperationException("The commit failed (test): everything before it rolls back.");
        }
    }
}
