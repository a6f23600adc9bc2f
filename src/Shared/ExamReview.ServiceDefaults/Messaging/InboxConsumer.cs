using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>
/// The one place where a consumed message becomes a state change: inside one transaction it checks the
/// inbox, runs the handler, records the message id and commits the handler's outbox rows. A redelivered
/// or duplicated message finds its id in the inbox and changes nothing; two copies racing in parallel
/// collide on the inbox key and the loser is retried, then skipped.
/// </summary>
public abstract class InboxConsumer<TMessage, TDbContext>(TDbContext db, OutboxSignal signal, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : ServiceDbContext
{
    protected TDbContext Db { get; } = db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var consumer = GetType().Name;
        var cancellationToken = context.CancellationToken;

        Db.ChangeTracker.Clear();
        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        if (await Db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken))
        {
            logger.LogInformation("{Consumer} skipped duplicate {MessageType} {MessageId}", consumer, typeof(TMessage).Name, messageId);
            return;
        }

        await HandleAsync(context.Message, messageId, cancellationToken);
        Db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = DateTimeOffset.UtcNow });
        await Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        AfterCommit();
    }

    /// <summary>Runs once the handler's changes are durable, e.g. to wake a worker that acts on them.</summary>
    protected virtual void AfterCommit()
    {
    }

    /// <summary>Applies the message to the service's state; messages to send go through <c>Db.Publish</c>.</summary>
    protected abstract Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken);
}
