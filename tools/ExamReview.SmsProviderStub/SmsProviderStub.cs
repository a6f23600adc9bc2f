using System.Collections.Concurrent;
using System.Globalization;

namespace ExamReview.SmsProviderStub;

/// <summary>What the stub does with the next calls: fail, lose responses, be slow, or refuse to deliver to some numbers.</summary>
public sealed record StubBehaviour
{
    /// <summary>Every call answers 503 ServiceUnavailable (the provider is down) until switched back.</summary>
    public bool Down { get; init; }

    /// <summary>The next N calls answer 500 isp.SYSTEM_ERROR, then the stub recovers by itself.</summary>
    public int FailNext { get; init; }

    /// <summary>The next N SendSms calls are accepted and recorded, then the connection is dropped before the answer.</summary>
    public int LoseNextResponses { get; init; }

    /// <summary>Added before every answer, after the work is done (to push callers into their timeouts).</summary>
    public int DelayMilliseconds { get; init; }

    /// <summary>Numbers the carrier "cannot reach": SendSms accepts, the delivery report says failed.</summary>
    public IReadOnlyList<string> UndeliverableNumbers { get; init; } = [];
}

/// <summary>One SendSms the stub accepted, as a provider would list it in QuerySendDetails.</summary>
public sealed record StubSms(
    long Sequence,
    string BizId,
    string? OutId,
    string PhoneNumber,
    string SignName,
    string TemplateCode,
    string? TemplateParam,
    DateTimeOffset ReceivedAt,
    int SendStatus,
    string ErrCode);

public sealed class SmsProviderStubOptions
{
    /// <summary>When set, requests must carry this AccessKeyId and a valid signature made with <see cref="AccessKeySecret"/>.</summary>
    public string? AccessKeyId { get; set; }

    public string? AccessKeySecret { get; set; }
}

/// <summary>
/// The stub's memory: every accepted SMS, the call counts and the current behaviour. Thread-safe; one per host.
/// </summary>
public sealed class SmsProviderStub(SmsProviderStubOptions options, TimeProvider? clock = null)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private readonly ConcurrentQueue<StubSms> _received = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private StubBehaviour _behaviour = new();
    private long _sequence;
    private long _sendCalls;
    private long _queryCalls;
    private long _refusedCalls;

    public SmsProviderStubOptions Options { get; } = options;

    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    public IReadOnlyList<StubSms> Received => [.. _received];

    public long SendCalls => Interlocked.Read(ref _sendCalls);

    public long QueryCalls => Interlocked.Read(ref _queryCalls);

    public long RefusedCalls => Interlocked.Read(ref _refusedCalls);

    public StubBehaviour Behaviour
    {
        get
        {
            lock (_gate)
            {
                return _behaviour;
            }
        }
        set
        {
            lock (_gate)
            {
                _behaviour = value;
            }
        }
    }

    public IReadOnlyList<StubSms> For(string phoneNumber) => [.. _received.Where(s => s.PhoneNumber == phoneNumber)];

    /// <summary>Decides, atomically, whether this call fails (and consumes one of the "fail next" tokens).</summary>
    internal StubFault NextFault(bool isSend)
    {
        lock (_gate)
        {
            if (_behaviour.Down)
            {
                Interlocked.Increment(ref _refusedCalls);
                return StubFault.Down;
            }
            if (_behaviour.FailNext > 0)
            {
                _behaviour = _behaviour with { FailNext = _behaviour.FailNext - 1 };
                Interlocked.Increment(ref _refusedCalls);
                return StubFault.SystemError;
            }
            if (isSend && _behaviour.LoseNextResponses > 0)
            {
                _behaviour = _behaviour with { LoseNextResponses = _behaviour.LoseNextResponses - 1 };
                return StubFault.LoseResponse;
            }
            return StubFault.None;
        }
    }

    internal bool RememberNonce(string nonce)
    {
        var now = Clock.GetUtcNow();
        foreach (var (key, seenAt) in _nonces)
        {
            if (now - seenAt > TimeSpan.FromMinutes(15))
            {
                _nonces.TryRemove(key, out _);
            }
        }
        return _nonces.TryAdd(nonce, now);
    }

    internal StubSms Accept(string phoneNumber, string signName, string templateCode, string? templateParam, string? outId)
    {
        Interlocked.Increment(ref _sendCalls);
        var sequence = Interlocked.Increment(ref _sequence);
        var undeliverable = Behaviour.UndeliverableNumbers.Contains(phoneNumber, StringComparer.Ordinal);
        var sms = new StubSms(
            sequence,
            string.Create(CultureInfo.InvariantCulture, $"{900000000000 + sequence}^0"),
            outId,
            phoneNumber,
            signName,
            templateCode,
            templateParam,
            Clock.GetUtcNow(),
            SendStatus: undeliverable ? 2 : 3,
            ErrCode: undeliverable ? "MOBILE_NOT_ON_SERVICE" : "DELIVERED");
        _received.Enqueue(sms);
        return sms;
    }

    internal IReadOnlyList<StubSms> Query(string phoneNumber, string sendDate, string? bizId)
    {
        Interlocked.Increment(ref _queryCalls);
        return [.. _received.Where(s => s.PhoneNumber == phoneNumber
            && s.ReceivedAt.ToOffset(ChinaOffset).ToString("yyyyMMdd", CultureInfo.InvariantCulture) == sendDate
            && (string.IsNullOrEmpty(bizId) || s.BizId == bizId))];
    }

    internal static string ChinaTime(DateTimeOffset at) => at.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

internal enum StubFault
{
    None,
    Down,
    SystemError,
    LoseResponse,
}
