using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ExamReview.ServiceDefaults.Messaging;

/// <summary>
/// The one place where a consumed message becomes a state change: inside one transaction it checks the
/// inbox, runs the handler, records the message id and commits the handler's outbox rows. A redelivered
/// or duplicated message finds its id in the inbox and changes nothing; two copies racing in parallel
/// collide on the inbox key and the loser is retried, then skipped. Handlers are short database work, since the
/// transaction (on SQLite: the database's write lock) is held across them; slow work belongs to consumers that keep no
/// state (ImageValidation judges an upload and sends its verdict under a message id derived from the image).
/// </summary>
public abstract class InboxConsumer<TMessage, TDbContext>(TDbContext db, ILogger logger) : IConsumer<TMessage>
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
        if (await AlreadyConsumedAsync(messageId, consumer, cancellationToken))
        {
            return; // a redelivered copy, or one that raced this one and committed first
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

    /// <summary>Runs once the handler's changes are durable, e.g. to wake a worker that acts on them.</summary>
    protected virtual void AfterCommit()
    {
    }

    /// <summary>Applies the message to the service's state; messages to send go through <c>Db.Publish</c>.</summary>
    protected abstract Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken);
}
