using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// Routing's own 415/405 answers: on the public photo tool an anonymous caller with the wrong content type or method
/// gets that answer as a Chinese-first problem, not a request to sign in; where the path needs a token, an anonymous
/// caller is still refused with 401 whatever the content type.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class PublicRejectionTests(EmbeddedPlatform platform)
{
    [Fact]
    public async Task A_wrong_content_type_or_method_on_the_public_photo_tool_is_415_or_405_for_anyone()
    {
        using (var text = await SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", new StringContent("not a form", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
            Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await text.Content.ReadAsStringAsync())!;
            Assert.Equal("unsupported_media_type", problem["code"]!.GetValue<string>());
            Assert.Equal("不支持的内容类型", problem["title"]!.GetValue<string>());
            Assert.Empty(text.Headers.WwwAuthenticate);
        }
        using (var get = await SendAsync(HttpMethod.Get, "ImageValidation", "/api/v1/validation/photo", null))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
            Assert.Equal("method_not_allowed", JsonNode.Parse(await get.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Where_a_token_is_needed_an_anonymous_wrong_content_type_or_method_is_still_401()
    {
        var upload = $"/api/v1/materials/candidates/{Guid.NewGuid()}/images";
        using (var text = await SendAsync(HttpMethod.Post, "MaterialStorage", upload, new StringContent("not a form", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, text.StatusCode);
            Assert.Contains(text.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
        using (var patch = await SendAsync(HttpMethod.Patch, "MaterialStorage", upload, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, patch.StatusCode);
        }
        // Signed in, the same request is the framework's 415 problem.
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using var signedIn = await platform.Client.SendAsync(HttpMethod.Post, "MaterialStorage", upload, token, new StringContent("not a form", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, signedIn.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string service, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, platform.Client.Url(service, path)) { Content = content };
        return await platform.Client.SendAsync(request);
    }
}
