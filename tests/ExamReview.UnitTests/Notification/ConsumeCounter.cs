using System.Collections.Concurrent;
using MassTransit;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// Counts each message id's completed consumptions by the service's queue (once a message has been through every
/// consumer of it there; the harness lists an id only once).
/// </summary>
internal sealed class ConsumeCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _done = new();
    private readonly ConcurrentDictionary<Guid, bool> _faulted = new();

    public int Count(Guid messageId) => _done.GetValueOrDefault(messageId);

    public bool Faulted(Guid messageId) => _faulted.ContainsKey(messageId);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        _done.AddOrUpdate(context.MessageId ?? Guid.Empty, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        _faulted[context.MessageId ?? Guid.Empty] = true;
        _done.AddOrUpdate(context.MessageId ?? Guid.Empty, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
