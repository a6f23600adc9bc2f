using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// Every problem the platform writes — ours and the framework's — has a Chinese title and detail and a stable
/// code, in English when the client asks (Accept-Language: en), and never names a .NET type.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class ProblemLanguageTests(EmbeddedPlatform platform)
{
    private const string Materials = "MaterialStorage";

    private async Task<JsonObject> ProblemAsync(HttpMethod method, string path, string? token, HttpContent? content, HttpStatusCode status, string? language = null)
    {
        // Expect: 100-continue lets the server refuse a body it will not read before the client sends it.
        using var request = new HttpRequestMessage(method, platform.Client.Url(Materials, path)) { Content = content, Headers = { ExpectContinue = true } };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(problem["code"]?.GetValue<string>()), body);
        Assert.False(problem.ContainsKey("__en"), body);
        foreach (var text in new[] { problem["title"]?.GetValue<string>(), problem["detail"]?.GetValue<string>() })
        {
            Assert.False(string.IsNullOrWhiteSpace(text), body);
            Assert.DoesNotMatch(@"System\.|Guid |Int32|Boolean|String |\bIFormFile\b|Request request", text!);
        }
        return problem;
    }

    private static bool IsChinese(string? text) => text is not null && text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    [Fact]
    public async Task The_frameworks_problems_are_chinese_first_with_a_code_and_english_on_request()
    {
        var candidateId = Guid.NewGuid();
        var token = await platform.Client.CandidateTokenAsync(candidateId);
        var cases = new (HttpMethod Method, string Path, string? Token, Func<HttpContent?> Content, HttpStatusCode Status, string Code)[]
        {
            (HttpMethod.Get, "/api/v1/materials/no-such-thing", token, () => null, HttpStatusCode.NotFound, "not_found"),
            (HttpMethod.Get, $"/api/v1/materials/candidates/{candidateId}", null, () => null, HttpStatusCode.Unauthorized, "unauthenticated"),
            (HttpMethod.Get, "/api/v1/materials/catalogs/2027/43", token, () => null, HttpStatusCode.Forbidden, "forbidden"),
            (HttpMethod.Patch, $"/api/v1/materials/candidates/{candidateId}/submit", token, () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            (HttpMethod.Post, $"/api/v1/materials/candidates/{candidateId}/images", token,
                () => new StringContent("{}", Encoding.UTF8, "application/json"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            (HttpMethod.Get, "/api/v1/materials/catalog?examYear=abc", token, () => null, HttpStatusCode.BadRequest, "bad_request"),
        };
        foreach (var (method, path, bearer, content, status, code) in cases)
        {
            var zh = await ProblemAsync(method, path, bearer, content(), status);
            Assert.Equal(code, zh["code"]!.GetValue<string>());
            Assert.True(IsChinese(zh["title"]!.GetValue<string>()) && IsChinese(zh["detail"]!.GetValue<string>()), zh.ToJsonString());

            var en = await ProblemAsync(method, path, bearer, content(), status, "en-GB,en;q=0.9,zh;q=0.5");
            Assert.Equal(code, en["code"]!.GetValue<string>());
            Assert.False(IsChinese(en["title"]!.GetValue<string>()) || IsChinese(en["detail"]!.GetValue<string>()), en.ToJsonString());
        }
    }

    [Fact]
    public async Task Our_own_refusals_are_chinese_first_and_english_on_request()
    {
        var (candidateId, token) = await platform.Client.NewCandidateAsync();
        var path = $"/api/v1/materials/candidates/{candidateId}/images";
        var zh = await ProblemAsync(HttpMethod.Post, path, token, PlatformClient.ImageForm("no-such-type", [0xFF, 0xD8, 0xFF, 0xE0]),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("unknown_material_type", zh["code"]!.GetValue<string>());
        Assert.True(IsChinese(zh["title"]!.GetValue<string>()) && IsChinese(zh["detail"]!.GetValue<string>()));

        var en = await ProblemAsync(HttpMethod.Post, path, token, PlatformClient.ImageForm("no-such-type", [0xFF, 0xD8, 0xFF, 0xE0]),
            HttpStatusCode.UnprocessableEntity, "en");
        Assert.Equal(("unknown_material_type", "Unprocessable content"), (en["code"]!.GetValue<string>(), en["title"]!.GetValue<string>()));
        Assert.Contains("not in this area's catalog", en["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var notYours = await ProblemAsync(HttpMethod.Post, $"/api/v1/materials/candidates/{Guid.NewGuid()}/submit", token, null, HttpStatusCode.NotFound);
        Assert.Equal("application_not_found", notYours["code"]!.GetValue<string>());
        Assert.True(IsChinese(notYours["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_body_over_the_servers_limit_is_a_chinese_413_problem()
    {
        var (candidateId, token) = await platform.Client.NewCandidateAsync();
        var huge = new byte[31 * 1024 * 1024]; // Kestrel's request body limit is 30 MB
        huge[0] = 0xFF;
        var problem = await ProblemAsync(HttpMethod.Post, $"/api/v1/materials/candidates/{candidateId}/images", token,
            PlatformClient.ImageForm("id-card", huge), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("payload_too_large", problem["code"]!.GetValue<string>());
        Assert.True(IsChinese(problem["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_malformed_json_body_names_the_field_not_a_type()
    {
        var operatorToken = await platform.Client.OperatorTokenAsync();
        var problem = await ProblemAsync(HttpMethod.Put, "/api/v1/materials/areas/43/settings", operatorToken,
            new StringContent("{\"maxImageBytes\":\"lots\"}", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest);
        Assert.Equal("bad_request", problem["code"]!.GetValue<string>());
        Assert.Contains("$.maxImageBytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
