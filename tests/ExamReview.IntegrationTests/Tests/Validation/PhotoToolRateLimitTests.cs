using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Validation;

/// <summary>An embedded platform of its own whose public endpoints allow only three requests per address per minute.</summary>
public sealed class TightRateLimitPlatform : EmbeddedPlatform
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["RateLimits__PublicPermitsPerWindow"] = "3",
        ["RateLimits__PublicWindow"] = "00:01:00",
    };
}

public sealed class PhotoToolRateLimitTests(TightRateLimitPlatform platform) : IClassFixture<TightRateLimitPlatform>
{
    [Fact]
    public async Task The_public_photo_tool_answers_429_with_retry_after_once_an_address_exceeds_its_allowance()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            var file = new ByteArrayContent("not a photo"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var form = new MultipartFormDataContent { { file, "file", "photo.jpg" } };
            last = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, form);
            statuses.Add(last.StatusCode);
        }
        Assert.Equal([HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests], statuses);
        using (last)
        {
            Assert.True(last!.Headers.RetryAfter is not null, "Retry-After is missing");
            var problem = await PlatformClient.ProblemAsync(last, HttpStatusCode.TooManyRequests);
            Assert.Equal("rate_limited", problem["code"]!.GetValue<string>());
            Assert.Equal("请求过于频繁", problem["title"]!.GetValue<string>()); // Chinese first (no Accept-Language)
            Assert.Contains("请稍后再试", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The same refusal in English when the client asks for it.
        using (var request = new HttpRequestMessage(HttpMethod.Post, platform.Client.Url("ImageValidation", "/api/v1/validation/photo")))
        {
            var file = new ByteArrayContent("not a photo"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            request.Content = new MultipartFormDataContent { { file, "file", "photo.jpg" } };
            request.Headers.AcceptLanguage.ParseAdd("en");
            using var english = await platform.Client.SendAsync(request);
            var problem = await PlatformClient.ProblemAsync(english, HttpStatusCode.TooManyRequests);
            Assert.Equal(("rate_limited", "Too many requests"), (problem["code"]!.GetValue<string>(), problem["title"]!.GetValue<string>()));
            Assert.Contains("try again later", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // Signed-in APIs are not counted against the public allowance.
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using var mine = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        Assert.Equal(HttpStatusCode.NotFound, mine.StatusCode);
    }
}
