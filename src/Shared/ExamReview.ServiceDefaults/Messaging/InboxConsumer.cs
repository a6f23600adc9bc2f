using System.Collections.Concurrent;
using System.Reflection;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>
/// The one place where a consumed message becomes a state change: inside one transaction it checks the
/// inbox, runs the handler, records the message id and commits the handler's outbox rows. A redelivered
/// or duplicated message finds its id in the inbox and changes nothing; two copies racing in parallel
/// collide on the inbox key and the loser is retried, then skipped. Slow work that writes nothing to the
/// database (fetching a file, computing on it) belongs in <see cref="PrepareAsync"/>, which runs before the
/// transaction opens, so no transaction (on SQLite: the database's write lock) is held across it.
/// </summary>
public abstract class InboxConsumer<TMessage, TDbContext>(TDbContext db, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : ServiceDbContext
{
    /// <summary>Whether this consumer type overrides <see cref="PrepareAsync"/> (looked up once per type).</summary>
    private static readonly ConcurrentDictionary<Type, bool> PreparingTypes = new();

    protected TDbContext Db { get; } = db;

    private bool Prepares => PreparingTypes.GetOrAdd(GetType(), static type =>
        type.GetMethod(nameof(PrepareAsync), BindingFlags.Instance | BindingFlags.NonPublic, [typeof(TMessage), typeof(Guid), typeof(CancellationToken)])
            ?.DeclaringType != typeof(InboxConsumer<TMessage, TDbContext>));

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var consumer = GetType().Name;
        var cancellationToken = context.CancellationToken;

        Db.ChangeTracker.Clear();
        // A duplicate should not repeat slow preparation, so consumers that prepare look first; for the others the
        // look inside the transaction below is the only one needed (one round trip less per message, issue 19).
        if (Prepares && (await AlreadyConsumedAsync(messageId, consumer, cancellationToken) || !await PrepareAsync(context.Message, messageId, cancellationToken)))
        {
            return;
        }

        Db.ChangeTracker.Clear();
        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        if (await AlreadyConsumedAsync(messageId, consumer, cancellationToken))
        {
            return; // a copy that raced this one committed while this one prepared
        }

        await HandleAsync(context.Message, messageId, cancellationToken);
        Db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = DateTimeOffset.UtcNow });
        await Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        AfterCommit();
    }

    private async Task<bool> AlreadyConsumedAsync(Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        if (!await Db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken))
        {
            return false;
        }
        logger.LogInformation("{Consumer} skipped duplicate {MessageType} {MessageId}", consumer, typeof(TMessage).Name, messageId);
        return true;
    }

    /// <summary>
    /// Work before the transaction: reads and calls that change nothing here (or change something elsewhere
    /// idempotently), keeping what <see cref="HandleAsync"/> needs in fields (a consumer instance serves one
    /// message). Returns false when there is nothing to do; the message then counts as handled without an
    /// inbox record, and a copy of it would prepare again.
    /// </summary>
    protected virtual Task<bool> PrepareAsync(TMessage message, Guid messageId, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Runs once the handler's changes are durable, e.g. to wake a worker that acts on them.</summary>
    protected virtual void AfterCommit()
    {
    }

    /// <summary>Applies the message to the service's state; messages to send go through <c>Db.Publish</c>.</summary>
    protected abstract Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken);
}
