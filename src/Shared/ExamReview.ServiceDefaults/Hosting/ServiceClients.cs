using System.Net.Http.Headers;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace ExamReview.ServiceDefaults.Hosting;

/// <summary>
/// Base addresses of other services, read with Aspire's key convention (<c>services:{name}:http:0</c>),
/// and a service token for calls between services.
/// </summary>
public sealed class ServiceClients(IConfiguration configuration, IHttpClientFactory factory, AuthOptions auth)
{
    public Uri BaseAddress(string serviceName) =>
        Uri.TryCreate(configuration[$"services:{serviceName}:http:0"], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"No address configured for service '{serviceName}' (services:{serviceName}:http:0).");

    public HttpClient Create(string serviceName, string caller)
    {
        var client = factory.CreateClient(serviceName);
        client.BaseAddress = BaseAddress(serviceName);
        // A national SSO would issue this through client credentials; with local keys we sign it ourselves.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new DevTokenIssuer(auth).ServiceToken(caller));
        return client;
    }
}
