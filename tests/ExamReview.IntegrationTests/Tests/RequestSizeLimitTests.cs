using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// An over-long request target or header block is refused by every service with a problem like any other refusal —
/// Chinese first, a stable code, before authentication — not with Kestrel's empty 414/431; a request inside the limits
/// goes on as usual.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class RequestSizeLimitTests(EmbeddedPlatform platform)
{
    private static readonly (string Service, string Path)[] Routes =
    [
        ("Registration", "/api/v1/registrations/me"),
        ("MaterialStorage", "/api/v1/materials/catalog"),
        ("ImageValidation", "/api/v1/validation/normalise"),
        ("ReviewWorkflow", "/api/v1/reviews/cases"),
        ("Notification", "/api/v1/notifications/templates"),
    ];

    [Fact]
    public async Task Every_service_refuses_a_header_block_over_the_limit_with_a_chinese_first_problem()
    {
        foreach (var (service, path) in Routes)
        {
            var zh = await ProblemAsync(service, path, padding: 40 * 1024, HttpStatusCode.RequestHeaderFieldsTooLarge);
            Assert.Equal("headers_too_large", zh["code"]!.GetValue<string>());
            Assert.Contains("请求头合计超过 32 KB", zh["detail"]!.GetValue<string>());
            var en = await ProblemAsync(service, path, padding: 40 * 1024, HttpStatusCode.RequestHeaderFieldsTooLarge, "en");
            Assert.Equal("headers_too_large", en["code"]!.GetValue<string>());
            Assert.StartsWith("The request headers total more than 32 KB", en["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Every_service_refuses_a_request_target_over_the_limit_with_a_chinese_first_problem()
    {
        var query = "?q=" + new string('a', 10 * 1024);
        foreach (var (service, path) in Routes)
        {
            var problem = await ProblemAsync(service, path + query, padding: 0, HttpStatusCode.RequestUriTooLong);
            Assert.Equal("uri_too_long", problem["code"]!.GetValue<string>());
            Assert.Contains("请求地址", problem["detail"]!.GetValue<string>());
            // A path alone over the limit, no query at all.
            var longPath = await ProblemAsync(service, path + "/" + new string('a', 10 * 1024), padding: 0, HttpStatusCode.RequestUriTooLong);
            Assert.Equal("uri_too_long", longPath["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_request_inside_the_limits_goes_on_to_authentication()
    {
        foreach (var (service, path) in Routes)
        {
            // 30 KB of headers and a 7 KB query: no token, so the request reaches the fallback policy's 401.
            var problem = await ProblemAsync(service, path + "?q=" + new string('a', 7 * 1024), padding: 30 * 1024, HttpStatusCode.Unauthorized);
            Assert.Equal("unauthenticated", problem["code"]!.GetValue<string>());
        }
    }

    private async Task<JsonObject> ProblemAsync(string service, string path, int padding, HttpStatusCode status, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.Client.Url(service, path));
        if (padding > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Padding", new string('x', padding));
        }
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{service} {path[..Math.Min(path.Length, 60)]}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }
}
