using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.ReviewWorkflow.Data;

/// <summary>The append-only timeline and the messages whose sending it records.</summary>
internal static class Timeline
{
    private static readonly Lock IdGate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    public static void Record(ReviewDbContext db, ReviewCase reviewCase, string kind, string actor, string? detail, DateTimeOffset at) =>
        db.CaseEvents.Add(new CaseEvent { Id = NextId(at), CaseId = reviewCase.Id, Kind = kind, Actor = actor, Detail = detail, At = at });

    /// <summary>
    /// A version-7 id whose 12-bit rand_a field is a counter (RFC 9562, method 1), so events recorded in the same
    /// millisecond keep the order in which they were recorded when the timeline is sorted by (At, Id).
    /// </summary>
    internal static Guid NextId(DateTimeOffset at)
    {
        long milliseconds;
        int counter;
        lock (IdGate)
        {
            milliseconds = Math.Max(at.ToUnixTimeMilliseconds(), _lastMilliseconds);
            if (milliseconds == _lastMilliseconds && ++_counter <= 0xFFF)
            {
                counter = _counter;
            }
            else
            {
                milliseconds = milliseconds == _lastMilliseconds ? milliseconds + 1 : milliseconds;
                counter = _counter = 0;
            }
            _lastMilliseconds = milliseconds;
        }
        Span<byte> bytes = stackalloc byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes[8..]);
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Queues a command for MaterialStorage in the outbox and records it on the case's timeline, in the same transaction.</summary>
    public static void Send<TMessage>(ReviewDbContext db, ReviewCase reviewCase, TMessage message, string actor, string detail, DateTimeOffset at)
        where TMessage : class
    {
        db.Publish(message);
        Record(db, reviewCase, CaseEventKinds.MessageSent, actor, $"{typeof(TMessage).Name}：{detail}", at);
    }
}
