using System.Net;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>Issue 15 items 7 and 4: the headers every response carries, what a failed token learns, CORS, no-store.</summary>
public sealed class SecurityHeadersTests(HardenedPlatform platform) : IClassFixture<HardenedPlatform>
{
    [Fact]
    public async Task Every_kind_of_response_carries_nosniff_a_closed_csp_no_framing_and_no_server_banner()
    {
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        var responses = new List<HttpResponseMessage>
        {
            await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token),        // a problem (404)
            await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/reference", token), // a 200
            await platform.Client.SendAsync(HttpMethod.Get, "ReviewWorkflow", "/api/v1/reviews/cases", token: null),    // the framework's 401
            await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/no/such/route", token),                 // the framework's 404
            await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/health", token: null),
            await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/openapi/v1.json", token: null),
        };
        foreach (var response in responses)
        {
            using (response)
            {
                var what = $"{response.RequestMessage!.RequestUri!.PathAndQuery} ({(int)response.StatusCode})";
                Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", what);
                Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), what);
                Assert.Contains("default-src 'none'", csp!.Single(), StringComparison.Ordinal);
                Assert.Contains("frame-ancestors 'none'", csp!.Single(), StringComparison.Ordinal);
                Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", what);
                Assert.False(response.Headers.Contains("Server"), $"{what} names its server: {string.Join(", ", response.Headers.Server)}");
            }
        }
    }

    [Fact]
    public async Task A_refused_token_learns_only_that_a_bearer_token_is_needed()
    {
        var wrongKey = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey()).Issue(new TokenRequest("operator", Roles.Operator)).AccessToken;
        var genuine = await platform.Client.OperatorTokenAsync();
        var pastIssuer = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey(), new ShiftedClock(TimeSpan.FromHours(-3)));
        var expiredWrongKey = pastIssuer.Issue(new TokenRequest("operator", Roles.Operator)).AccessToken;
        foreach (var token in new[] { wrongKey, expiredWrongKey, "not.a.token", genuine[..^4] + (genuine.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA") })
        {
            using var response = await platform.Client.SendAsync(HttpMethod.Get, "Notification", "/api/v1/notifications/sms", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        }
    }

    [Fact]
    public async Task Only_the_configured_reviewer_console_origin_may_call_from_a_browser()
    {
        var token = await platform.Client.SiteReviewerTokenAsync("4301");
        foreach (var (origin, allowed) in new[] { (HardenedPlatform.ConsoleOrigin, true), ("https://evil.example.com", false), ("null", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, platform.Client.Url("ReviewWorkflow", "/api/v1/reviews/cases"));
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
            using (var answer = await platform.Client.SendAsync(preflight))
            {
                Assert.Equal(allowed, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowOrigin) && allowOrigin.Single() == origin);
                Assert.False(answer.Headers.Contains("Access-Control-Allow-Credentials"));
            }

            using var get = new HttpRequestMessage(HttpMethod.Get, platform.Client.Url("ReviewWorkflow", "/api/v1/reviews/cases"));
            get.Headers.Add("Origin", origin);
            get.Headers.Authorization = new("Bearer", token);
            using var response = await platform.Client.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(allowed, response.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task Personal_data_and_images_are_never_stored_by_a_cache_while_example_images_stay_cacheable()
    {
        var (candidateId, token) = await platform.Client.NewCandidateAsync();
        var imageId = await platform.Client.UploadAsync(candidateId, token, "id-card", TestImages.Document());
        using var image = await Eventually.GetAsync(async () =>
        {
            var response = await platform.Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{imageId}/content", token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return response;
            }
            response.Dispose();
            return null;
        }, "the watermarked copy");
        Assert.StartsWith("image/", image.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.True(image.Headers.CacheControl!.NoStore, "the image may be cached");

        foreach (var (service, path) in new[] { ("Registration", "/api/v1/registrations/me"), ("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}") })
        {
            using var response = await platform.Client.SendAsync(HttpMethod.Get, service, path, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} may be cached: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Query_values_reach_neither_the_logs_nor_the_traces()
    {
        var operatorToken = await platform.Client.OperatorTokenAsync();
        var secret = "4301011990" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = $"/api/v1/notifications/sms?candidateId={Guid.NewGuid()}&note={secret}";
        using (var response = await platform.Client.SendAsync(HttpMethod.Get, "Notification", path, operatorToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The request's span has arrived; logs leave on the same schedule, give them a few more batches.
        await Eventually.TrueAsync(() => Task.FromResult(platform.Receiver.Received("/v1/traces").Any(t => t.Contains("/api/v1/notifications/sms", StringComparison.Ordinal))),
            "the request's span at the collector");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.NotEmpty(platform.Receiver.Received("/v1/logs"));
        foreach (var signal in new[] { "/v1/traces", "/v1/logs" })
        {
            Assert.DoesNotContain(platform.Receiver.Received(signal), body => body.Contains(secret, StringComparison.Ordinal));
        }
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
