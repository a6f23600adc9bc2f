using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ExamReview.Notification.Sms;

public enum SmsAttemptResult
{
    /// <summary>The provider has the SMS (accepted now, or found there from an earlier attempt).</summary>
    Accepted,

    /// <summary>The provider refused it for good (bad number, bad template...).</summary>
    Refused,

    /// <summary>Not now: provider down, timing out or throttling. <see cref="SmsAttemptOutcome.OutcomeUnknown"/> says whether it may have been sent.</summary>
    Unavailable,

    /// <summary>The circuit is open: the provider was not called at all.</summary>
    CircuitOpen,
}

public sealed record SmsAttemptOutcome(SmsAttemptResult Result, string? BizId, string? Error, bool OutcomeUnknown, bool FoundAtProvider = false);

/// <summary>
/// Every call to the provider goes through here: a Polly pipeline (retries with jittered exponential back-off →
/// circuit breaker → per-call timeout) shared by all messages, so that a provider outage opens one circuit and the
/// dispatcher stops calling until it half-opens. Before a (re)send whose earlier attempt may have reached the
/// provider, it asks the provider whether that OutId is already there, so a retry is never a second SMS.
/// </summary>
public sealed class SmsGateway
{
    private readonly ISmsProvider _provider;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ILogger<SmsGateway> _logger;
    private long _probeAllowedAtTicks;

    public SmsGateway(ISmsProvider provider, IOptions<SmsResilienceOptions> resilience, IOptions<SmsProviderOptions> providerOptions, NotificationMetrics metrics, ILogger<SmsGateway> logger)
    {
        _provider = provider;
        _logger = logger;
        var options = resilience.Value;
        var transient = new PredicateBuilder()
            .Handle<SmsProviderUnavailableException>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "SMS provider call failed (attempt {Attempt}); retrying in {Delay}", args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }
        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _circuit,
                OnOpened = args =>
                {
                    Interlocked.Exchange(ref _probeAllowedAtTicks, (DateTimeOffset.UtcNow + args.BreakDuration).UtcTicks);
                    metrics.CircuitOpened();
                    logger.LogError(args.Outcome.Exception, "SMS provider circuit opened for {BreakDuration}: messages wait until it recovers", args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    metrics.CircuitClosed();
                    logger.LogInformation("SMS provider circuit closed: sending resumes");
                    return default;
                },
            })
            .AddTimeout(providerOptions.Value.AttemptTimeout)
            .Build();
    }

    /// <summary>
    /// True while the breaker refuses calls; the dispatcher then leaves messages queued. Polly moves to half-open only
    /// when a call is tried, so once the break is over this turns false and the next message is the probe.
    /// </summary>
    public bool CircuitOpen => _circuit.CircuitState switch
    {
        CircuitState.Isolated => true,
        CircuitState.Open => DateTimeOffset.UtcNow.UtcTicks < Interlocked.Read(ref _probeAllowedAtTicks),
        _ => false,
    };

    public async Task<SmsAttemptOutcome> SendAsync(ProviderSmsRequest request, bool previousOutcomeUnknown, DateTimeOffset firstAttemptAt, CancellationToken cancellationToken)
    {
        var outcomeUnknown = previousOutcomeUnknown;
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                if (outcomeUnknown)
                {
                    var existing = await _provider.FindAsync(request.MobileNumber, request.OutId, firstAttemptAt, token);
                    if (existing is not null)
                    {
                        _logger.LogInformation("SMS {OutId} was already accepted by the provider ({BizId}); not sending it again", request.OutId, existing.BizId);
                        return new SmsAttemptOutcome(SmsAttemptResult.Accepted, existing.BizId, null, OutcomeUnknown: false, FoundAtProvider: true);
                    }
                    // The provider does not have it: no earlier attempt got through.
                    outcomeUnknown = false;
                }
                try
                {
                    outcomeUnknown = true;
                    var result = await _provider.SendAsync(request, token);
                    outcomeUnknown = false;
                    return result.Accepted
                        ? new SmsAttemptOutcome(SmsAttemptResult.Accepted, result.BizId, null, false)
                        : new SmsAttemptOutcome(SmsAttemptResult.Refused, null, $"{result.ErrorCode}: {result.ErrorMessage}", false);
                }
                catch (SmsProviderUnavailableException ex) when (!ex.MayHaveBeenSent)
                {
                    outcomeUnknown = false;
                    throw;
                }
            }, cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            return new SmsAttemptOutcome(SmsAttemptResult.CircuitOpen, null, ex.Message, outcomeUnknown);
        }
        catch (Exception ex) when (ex is SmsProviderUnavailableException or HttpRequestException or TimeoutRejectedException)
        {
            return new SmsAttemptOutcome(SmsAttemptResult.Unavailable, null, ex.Message, outcomeUnknown);
        }
    }

    /// <summary>The provider's record of a sent SMS (delivery report), or null when it cannot be asked now or has none.</summary>
    public async Task<ProviderSmsRecord?> FindAsync(string mobileNumber, string outId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await _provider.FindAsync(mobileNumber, outId, since, token), cancellationToken);
        }
        catch (Exception ex) when (ex is SmsProviderUnavailableException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            _logger.LogWarning("Delivery report for SMS {OutId} not available now: {Error}", outId, ex.Message);
            return null;
        }
    }
}
