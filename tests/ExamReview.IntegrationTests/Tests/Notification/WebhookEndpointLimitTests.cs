using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Platform;
using ExamReview.Notification.Webhooks;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// An area registers at most <see cref="WebhookEndpoint.MaxPerArea"/> webhook endpoints, also when a province's
/// client sends its registrations at once: each used to count the endpoints before any of the others committed, and
/// twelve at once left fifteen.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class WebhookEndpointLimitTests(EmbeddedPlatform platform)
{
    private const string Endpoints = "/api/v1/notifications/webhooks/endpoints";
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task Concurrent_registrations_never_exceed_the_areas_limit_and_the_ones_over_it_are_409_problems()
    {
        // An area of the test's own, so no other test's endpoints count towards its limit.
        var area = $"W{Random.Shared.Next(100_000, 999_999)}";
        var province = await Client.TokenAsync(new { subject = $"province-{area}", role = "province", area });
        const int attempts = WebhookEndpoint.MaxPerArea + 6;

        var responses = await Task.WhenAll(Enumerable.Range(0, attempts).Select(i => Client.SendAsync(HttpMethod.Post, "Notification", Endpoints, province,
            JsonContent.Create(new { url = $"https://hook{i}.example.com/receive", eventTypes = new[] { WebhookEventTypes.Approved } }))));
        try
        {
            Assert.Equal(WebhookEndpoint.MaxPerArea, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.Conflict);
                Assert.Equal("webhook_endpoint_limit", problem["code"]!.GetValue<string>());
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        var listed = (await Client.GetJsonAsync("Notification", Endpoints, province)).AsArray();
        Assert.Equal(WebhookEndpoint.MaxPerArea, listed.Count);
    }
}
