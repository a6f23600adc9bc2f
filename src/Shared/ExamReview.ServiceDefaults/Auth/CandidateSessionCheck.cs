using System.Collections.Concurrent;
using System.Net;
using ExamReview.Contracts;
using ExamReview.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;

namespace ExamReview.ServiceDefaults.Auth;

/// <summary>
/// Whether a candidate session (the token's <c>sid</c>) is still open. Registration owns sessions (direct sign-in,
/// sign out everywhere) and answers from its database; every other process asks Registration. A token without a
/// <c>sid</c> (hand-over sessions, SSO tokens) is not a session and is not checked.
/// </summary>
public interface ICandidateSessionCheck
{
    Task<bool> IsOpenAsync(Guid sessionId, Guid candidateId, CancellationToken cancellationToken);
}

/// <summary>
/// Asks Registration's internal endpoint with a service credential, and remembers the answer for <see cref="CacheFor"/>.
/// Registration announces every session it ends (<see cref="CandidateSessionsEnded"/>, committed with the end through its
/// outbox) to every instance of every other service, each on a queue of its own (<see cref="CandidateSessionsEndedConsumer"/>):
/// from then on the instance refuses the session without asking (<see cref="Ended"/>), so a stolen token stops working
/// everywhere as soon as the message arrives. The cache time is the fallback for a message that never arrives (the
/// instance's queue lost with its broker connection, say): then a signed-out session still stops within
/// <see cref="CacheFor"/>. Registration unreachable or failing: the session is refused (fail closed) and that is not
/// remembered, so the next request asks again.
/// </summary>
public sealed class RemoteCandidateSessionCheck(IServiceProvider services, TimeProvider clock, ILogger<RemoteCandidateSessionCheck> logger) : ICandidateSessionCheck
{
    public const string RegistrationService = "registration";
    public const string PathPrefix = "/api/v1/registrations/internal/sessions/";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an announced end is remembered: longer than any answer Registration read before the end was committed
    /// can take to come back (the resilience pipeline's timeouts), so such an answer cannot reopen the session here.
    /// After that, asking Registration says "ended" anyway.
    /// </summary>
    public static readonly TimeSpan EndedFor = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<Guid, (bool Open, DateTimeOffset Until)> _answers = new();

    public async Task<bool> IsOpenAsync(Guid sessionId, Guid candidateId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_answers.TryGetValue(sessionId, out var known) && known.Until > now)
        {
            return known.Open;
        }
        bool open;
        try
        {
            using var client = services.GetRequiredService<ServiceClients>().Create(RegistrationService, "session-check");
            using var response = await client.GetAsync(new Uri($"{PathPrefix}{sessionId}?candidateId={candidateId}", UriKind.Relative), cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
            {
                // Registration failing (5xx, 429) is no answer: refused now, but not remembered, so one bad moment does
                // not sign every session holder out for the whole cache time.
                logger.LogWarning("Registration answered {Status} on whether session {SessionId} is open; refusing it", (int)response.StatusCode, sessionId);
                return false;
            }
            open = response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Registration did not answer whether session {SessionId} is open; refusing it", sessionId);
            return false;
        }
        catch (ExecutionRejectedException ex)
        {
            // The resilience pipeline gave up (its timeout, an open circuit): no answer, refused, not remembered.
            logger.LogWarning(ex, "Registration's session check was cut short for session {SessionId}; refusing it", sessionId);
            return false;
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Registration did not answer in time whether session {SessionId} is open; refusing it", sessionId);
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // No address for Registration (service discovery has no endpoint): a deployment fault for an operator, and
            // still a refusal (401) for the candidate, never a 500.
            logger.LogError(ex, "No address for Registration to check session {SessionId}; refusing it (configure services:registration)", sessionId);
            return false;
        }
        if (_answers.Count > 100_000)
        {
            _answers.Clear();
        }
        // An ended session never opens again: an answer read before its end was committed (asked just before, answered
        // just after the announcement) does not overwrite the announced end.
        var answer = (open, now + CacheFor);
        var kept = _answers.AddOrUpdate(sessionId, answer, (_, known) => !known.Open && known.Until > now ? known : answer);
        return kept.Open;
    }

    /// <summary>
    /// Registration ended these sessions (<see cref="CandidateSessionsEnded"/>): refused from now on, without asking. Safe
    /// to repeat (a redelivered announcement changes nothing) and to receive for sessions this instance never saw.
    /// </summary>
    public void Ended(IEnumerable<Guid> sessionIds)
    {
        var until = clock.GetUtcNow() + EndedFor;
        foreach (var sessionId in sessionIds)
        {
            _answers[sessionId] = (false, until);
        }
    }
}

/// <summary>
/// Applies <see cref="CandidateSessionsEnded"/> to this process's <see cref="RemoteCandidateSessionCheck"/>. Bound to the
/// instance's own temporary queue (<see cref="ServiceModule.InstanceConsumers"/>), so every instance of a service
/// receives every announcement. Idempotent by nature: marking a session ended twice is marking it once. Where sessions
/// are answered from Registration's own table (Registration, the embedded single process) there is nothing to forget.
/// </summary>
public sealed class CandidateSessionsEndedConsumer(ICandidateSessionCheck sessions) : IConsumer<CandidateSessionsEnded>
{
    public Task Consume(ConsumeContext<CandidateSessionsEnded> context)
    {
        if (sessions is RemoteCandidateSessionCheck remote)
        {
            remote.Ended(context.Message.SessionIds);
        }
        return Task.CompletedTask;
    }
}
