using System.Net;
using System.Net.Http.Headers;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.DeploymentTests;

/// <summary>
/// The compose deployment's one browser origin: the gateway serves the console baked into its image at /console/
/// (a deep link gets the same page) and proxies the API to the services by their compose names.
/// </summary>
public static class GatewayScenario
{
    public static async Task RunAsync(Uri gateway, PlatformClient client)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var page = await http.GetAsync(new Uri(gateway, "/console/"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"/console/ answered {(int)page.StatusCode}: {html}");
        // The console's own policy (ExamReview.ConsoleHosting): scripts from the origin only, no inline script, no eval.
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("<div id=\"app\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/console/assets/", html, StringComparison.Ordinal);
        using var deepLink = await http.GetAsync(new Uri(gateway, $"/console/cases/{Guid.NewGuid()}"));
        Assert.Equal(html, await deepLink.Content.ReadAsStringAsync());

        // An API call with the identity provider's token, through the gateway to ReviewWorkflow.
        using var queue = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, "/api/v1/reviews/cases"));
        queue.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await client.SiteReviewerTokenAsync("4301"));
        using var answered = await http.SendAsync(queue);
        await PlatformClient.EnsureAsync(answered, HttpStatusCode.OK);
        Assert.Contains("\"items\"", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Without a token the service's 401 problem comes back; a path no service owns is the gateway's own 404 problem.
        using var anonymous = await http.GetAsync(new Uri(gateway, "/api/v1/reviews/cases"));
        await PlatformClient.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        using var unknown = await http.GetAsync(new Uri(gateway, "/api/v1/nope"));
        Assert.Equal("not_found", (await PlatformClient.ProblemAsync(unknown, HttpStatusCode.NotFound))["code"]?.GetValue<string>());
    }
}
