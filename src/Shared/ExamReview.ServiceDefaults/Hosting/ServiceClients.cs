using System.Net.Http.Headers;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.ServiceDefaults.Hosting;

/// <summary>
/// HttpClients for calls between services: the base address is the logical <c>http://{service}</c>, which
/// service discovery resolves from <c>services:{service}:http:0</c> (Aspire's convention), and the standard
/// resilience handler from the service defaults applies.
/// </summary>
public sealed class ServiceClients(IHttpClientFactory factory, ServiceTokens tokens)
{
    /// <summary>The one named client for calls between services (configured in the service defaults).</summary>
    public const string HttpClientName = "services";

    public HttpClient Create(string serviceName, string caller)
    {
        var client = factory.CreateClient(HttpClientName);
        client.BaseAddress = new Uri($"http://{serviceName}");
        // A credential for this callee only, signed with the service keys (see ServiceTokens), not a platform token.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(caller, serviceName));
        return client;
    }
}
