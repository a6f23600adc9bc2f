using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// Three requests per client and five per address per endpoint and minute; no proxy trusted. Tokens are signed here
/// with the platform's configured key (as the identity provider would), so minting them costs no token-endpoint budget.
/// </summary>
public sealed class TightAbuseLimitPlatform : EmbeddedPlatform
{
    public static readonly string SigningKey = DevTokenIssuer.NewKey();

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Auth__SigningKeys__0"] = SigningKey,
        ["RateLimits__ClientPermitsPerWindow"] = "3",
        ["RateLimits__AddressPermitsPerWindow"] = "5",
        ["RateLimits__AbuseWindow"] = "00:05:00",
    };

    public static string CandidateToken(Guid candidateId) =>
        new DevTokenIssuer("examreview-dev", "examreview", SigningKey).Issue(new TokenRequest($"candidate-{candidateId:N}", Roles.Candidate, candidateId)).AccessToken;
}

/// <summary>Issue 15 item 5: per-client and per-address limits on the endpoints worth abusing, 429 with Retry-After.</summary>
public sealed class AbuseLimitTests(TightAbuseLimitPlatform platform) : IClassFixture<TightAbuseLimitPlatform>
{
    [Fact]
    public async Task Hand_over_is_limited_per_client_and_per_address_and_a_spoofed_forwarded_header_changes_neither()
    {
        var alice = TightAbuseLimitPlatform.CandidateToken(Guid.NewGuid());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await HandoverAsync(alice, forwardedFor: null);
            statuses.Add(response.StatusCode);
            if (i == 3)
            {
                await AssertLimitedAsync(response);
            }
        }
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));

        // A second account from the same address, claiming a fresh address on every request: the address has at most
        // two permits left of five (three or four went to the first account), so it is refused by its third request at
        // the latest — before its own allowance of three would refuse its fourth.
        var bob = TightAbuseLimitPlatform.CandidateToken(Guid.NewGuid());
        var bobs = new List<HttpStatusCode>();
        for (var i = 0; i < 3 && !bobs.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await HandoverAsync(bob, $"203.0.113.{Random.Shared.Next(1, 250)}");
            bobs.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertLimitedAsync(response);
            }
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, bobs);
    }

    [Fact]
    public async Task Upload_and_normalise_each_allow_a_client_its_own_budget()
    {
        var candidateId = Guid.NewGuid();
        var token = TightAbuseLimitPlatform.CandidateToken(candidateId);
        foreach (var (service, path) in new[] { ("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images"), ("ImageValidation", "/api/v1/validation/normalise") })
        {
            for (var i = 0; i < 4; i++)
            {
                using var response = await PostImageAsync(service, path, token);
                if (i < 3)
                {
                    Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
                }
                else
                {
                    await AssertLimitedAsync(response);
                }
            }
        }
    }

    private async Task<HttpResponseMessage> PostImageAsync(string service, string path, string token)
    {
        using var form = PlatformClient.ImageForm("id-card", "not an image"u8.ToArray());
        return await platform.Client.SendAsync(HttpMethod.Post, service, path, token, form);
    }

    private async Task<HttpResponseMessage> HandoverAsync(string token, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, platform.Client.Url("Registration", "/api/v1/registrations/me/handover"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await platform.Client.SendAsync(request);
    }

    internal static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.RetryAfter!.Delta!.Value > TimeSpan.Zero);
        Assert.Equal("rate_limited", problem["code"]!.GetValue<string>());
        Assert.Equal("请求过于频繁", problem["title"]!.GetValue<string>());
        Assert.Contains("请稍后再试", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

/// <summary>Loopback is a configured proxy here: what it forwards names the client. Two requests per address.</summary>
public sealed class TrustedProxyPlatform : EmbeddedPlatform
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        ["RateLimits__AddressPermitsPerWindow"] = "2",
        ["RateLimits__AbuseWindow"] = "00:05:00",
    };
}

public sealed class TrustedProxyLimitTests(TrustedProxyPlatform platform) : IClassFixture<TrustedProxyPlatform>
{
    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_client_has_its_own_bucket_on_session_and_token_endpoints()
    {
        foreach (var (service, path, body) in new (string, string, object)[]
        {
            ("MaterialStorage", "/api/v1/materials/sessions", new { authorization = "not-a-handover" }),
            ("Registration", "/api/v1/dev/tokens", new { subject = "someone", role = "operator" }),
        })
        {
            var first = $"198.51.100.{Random.Shared.Next(1, 120)}";
            var second = $"198.51.100.{Random.Shared.Next(130, 250)}";
            for (var i = 0; i < 3; i++)
            {
                using var response = await SendAsync(service, path, body, first);
                if (i < 2)
                {
                    Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
                }
                else
                {
                    await AbuseLimitTests.AssertLimitedAsync(response);
                }
            }
            // Another client behind the same proxy, and the proxy itself, are not held back by the first one.
            using (var other = await SendAsync(service, path, body, second))
            {
                Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
            }
            using (var direct = await SendAsync(service, path, body, forwardedFor: null))
            {
                Assert.NotEqual(HttpStatusCode.TooManyRequests, direct.StatusCode);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string service, string path, object body, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, platform.Client.Url(service, path)) { Content = JsonContent.Create(body) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await platform.Client.SendAsync(request);
    }
}
