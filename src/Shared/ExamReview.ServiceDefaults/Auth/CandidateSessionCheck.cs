using System.Collections.Concurrent;
using System.Net;
using ExamReview.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
/// Registration unreachable: the session is refused (fail closed), the candidate signs in again later.
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
            open = response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Registration did not answer whether session {SessionId} is open; refusing it", sessionId);
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
