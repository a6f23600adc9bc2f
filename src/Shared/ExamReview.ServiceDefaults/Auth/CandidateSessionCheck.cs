using System.Collections.Concurrent;
using System.Net;
using ExamReview.ServiceDefaults.Hosting;
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
/// Asks Registration's internal endpoint with a service credential, and remembers the answer for
/// <see cref="CacheFor"/>: a signed-out session stops working everywhere within that time, in Registration at once.
/// Registration unreachable or failing: the session is refused (fail closed) and that is not remembered, so the next
/// request asks again.
/// </summary>
public sealed class RemoteCandidateSessionCheck(IServiceProvider services, TimeProvider clock, ILogger<RemoteCandidateSessionCheck> logger) : ICandidateSessionCheck
{
    public const string RegistrationService = "registration";
    public const string PathPrefix = "/api/v1/registrations/internal/sessions/";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

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
        _answers[sessionId] = (open, now + CacheFor);
        return open;
    }
}
