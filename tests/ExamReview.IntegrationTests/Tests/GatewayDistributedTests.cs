using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ExamReview.ConsoleHosting;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// The gateway (YARP) of the distributed run, on the collection's AppHost: the browser's one origin serves the reviewer
/// console at <c>/console/</c> and sends <c>/api/v1/&lt;area&gt;</c> to the service owning the area. Each area is asked
/// a question only its service can answer, through the gateway and directly, and both answers must agree.
/// The console's build (<c>console/dist</c>) comes first in <c>scripts/test.sh</c>, so the page is always asserted.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class GatewayDistributedTests(DistributedPlatform platform) : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Uri _gateway = null!;

    public async Task InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);
        _gateway = platform.App.GetEndpoint("gateway", "http");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Gateway_serves_the_console_with_its_strict_policy_and_deep_links_fall_back_to_the_page()
    {
        using var page = await _http.GetAsync(new Uri(_gateway, "/console/"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK,
            $"/console/ answered {(int)page.StatusCode}: {html} (build the console first: npm run --prefix console build)");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ReviewerConsole.ContentSecurityPolicy, Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self'", ReviewerConsole.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline';", ReviewerConsole.ContentSecurityPolicy.Split("style-src")[0], StringComparison.Ordinal);
        Assert.Contains("<div id=\"app\"", html, StringComparison.Ordinal);
        // Every script is a file of the build's (the policy allows no inline script): no <script> without src.
        var scripts = html.Split("<script", StringSplitOptions.None).Skip(1).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains("src=\"/console/assets/", s.Split('>')[0], StringComparison.Ordinal));
        var bundle = scripts[0].Split("src=\"")[1].Split('"')[0];
        using var asset = await _http.GetAsync(new Uri(_gateway, bundle));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);

        // A client-side route opened directly (a bookmarked case) gets the same page; a missing bundle does not.
        using var deepLink = await _http.GetAsync(new Uri(_gateway, $"/console/cases/{Guid.NewGuid()}"));
        Assert.Equal(HttpStatusCode.OK, deepLink.StatusCode);
        Assert.Equal(html, await deepLink.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", deepLink.Headers.CacheControl?.ToString());
        using var staleBundle = await _http.GetAsync(new Uri(_gateway, "/console/assets/gone-0000.js"));
        Assert.Equal(HttpStatusCode.NotFound, staleBundle.StatusCode);
    }

    [Fact]
    public async Task Gateway_routes_every_api_area_to_the_service_that_owns_it()
    {
        var reviewer = await platform.Client.SiteReviewerTokenAsync("4301");
        var operatorToken = await platform.Client.OperatorTokenAsync();

        // reviews → ReviewWorkflow: a reviewer's queue, and a 401 problem without a token.
        var queue = await SameAnswerAsync("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases", reviewer, HttpStatusCode.OK);
        Assert.NotNull(queue["items"]);
        await SameProblemAsync("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases", null, HttpStatusCode.Unauthorized);
        // registrations → Registration: the public verification of a printed notice, anonymous; reference data signed in.
        var notice = await SameProblemAsync("Registration", HttpMethod.Get, "/api/v1/registrations/notices/verify?code=nope", null, HttpStatusCode.BadRequest);
        Assert.NotNull(notice["errors"]?["code"]);
        var reference = await SameAnswerAsync("Registration", HttpMethod.Get, "/api/v1/registrations/reference", reviewer, HttpStatusCode.OK);
        Assert.NotNull(reference["areas"]);
        // materials → MaterialStorage: the stored catalogs (operators).
        await SameAnswerAsync("MaterialStorage", HttpMethod.Get, "/api/v1/materials/catalogs", operatorToken, HttpStatusCode.OK);
        // validation → ImageValidation: the public photo tool names the missing file.
        var photo = await SameProblemAsync("ImageValidation", HttpMethod.Post, "/api/v1/validation/photo", null, HttpStatusCode.BadRequest,
            () => new MultipartFormDataContent { { new StringContent("x"), "other" } });
        Assert.NotNull(photo["errors"]?["file"]);
        // notifications → Notification: the loaded SMS templates (operators).
        await SameAnswerAsync("Notification", HttpMethod.Get, "/api/v1/notifications/templates", operatorToken, HttpStatusCode.OK);

        // The console signs in through the development issuer on the same origin (on for this run).
        using var issued = await _http.PostAsJsonAsync(new Uri(_gateway, "/api/v1/dev/tokens"),
            new { subject = "site-reviewer-gateway", role = "site-reviewer", site = "4301" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        await SameAnswerAsync("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases", token, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Gateway_answers_a_chinese_problem_not_the_console_for_an_unknown_api_path()
    {
        foreach (var path in new[] { "/api/v1/nope", "/api/v1/nope/cases/1", "/api/v2/reviews/cases" })
        {
            using var response = await _http.GetAsync(new Uri(_gateway, path));
            var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.Equal("not_found", problem["code"]?.GetValue<string>());
            Assert.Equal("未找到", problem["title"]?.GetValue<string>());
            Assert.False(response.Headers.Contains("Content-Security-Policy")
                && response.Headers.GetValues("Content-Security-Policy").Single() == ReviewerConsole.ContentSecurityPolicy,
                $"{path} got the console's policy");
        }
    }

    /// <summary>The same request through the gateway and to the service directly: same status, same JSON shape.</summary>
    private async Task<JsonNode> SameAnswerAsync(string service, HttpMethod method, string path, string? token, HttpStatusCode expected)
    {
        var (viaGateway, direct) = await BothAsync(service, method, path, token, expected, null);
        Assert.Equal(direct.GetValueKind(), viaGateway.GetValueKind());
        if (viaGateway is JsonObject gatewayObject)
        {
            Assert.Equal(direct.AsObject().Select(p => p.Key).Order(), gatewayObject.Select(p => p.Key).Order());
        }
        return viaGateway;
    }

    /// <summary>The same refused request both ways: a problem with the same code (the service's, not the gateway's).</summary>
    private async Task<JsonObject> SameProblemAsync(string service, HttpMethod method, string path, string? token, HttpStatusCode expected,
        Func<HttpContent>? content = null)
    {
        var (viaGateway, direct) = await BothAsync(service, method, path, token, expected, content);
        Assert.Equal(direct["code"]?.GetValue<string>(), viaGateway["code"]?.GetValue<string>());
        Assert.Equal(direct["title"]?.GetValue<string>(), viaGateway["title"]?.GetValue<string>());
        return viaGateway.AsObject();
    }

    private async Task<(JsonNode ViaGateway, JsonNode Direct)> BothAsync(string service, HttpMethod method, string path, string? token,
        HttpStatusCode expected, Func<HttpContent>? content)
    {
        var answers = new List<JsonNode>();
        foreach (var baseUri in new[] { _gateway, platform.Client.Services[service] })
        {
            using var request = new HttpRequestMessage(method, new Uri(baseUri, path)) { Content = content?.Invoke() };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{method} {request.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
            if (expected >= HttpStatusCode.BadRequest)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            answers.Add(JsonNode.Parse(body)!);
        }
        return (answers[0], answers[1]);
    }
}
