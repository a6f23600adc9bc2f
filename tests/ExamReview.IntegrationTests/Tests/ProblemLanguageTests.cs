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

    private Task<JsonObject> ProblemAsync(HttpMethod method, string path, string? token, HttpContent? content, HttpStatusCode status, string? language = null) =>
        ProblemAsync(Materials, method, path, token, content, status, language);

    private async Task<JsonObject> ProblemAsync(
        string service, HttpMethod method, string path, string? token, HttpContent? content, HttpStatusCode status, string? language = null, string? accept = null)
    {
        // Expect: 100-continue lets the server refuse a body it will not read before the client sends it.
        using var request = new HttpRequestMessage(method, platform.Client.Url(service, path)) { Content = content, Headers = { ExpectContinue = true } };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{service} {method} {path}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
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

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    private static HttpContent PlainText() => new StringContent("hello", Encoding.UTF8, "text/plain");

    // Kestrel's request body limit is 30 MB.
    private static HttpContent HugeJson() => new ByteArrayContent(new byte[31 * 1024 * 1024]) { Headers = { ContentType = new("application/json") } };

    /// <summary>Asserts the problem in Chinese by default and in English on request, with the same code both times.</summary>
    private async Task AssertBothLanguagesAsync(string service, HttpMethod method, string path, string? token, Func<HttpContent?> content, HttpStatusCode status, string? code)
    {
        var zh = await ProblemAsync(service, method, path, token, content(), status);
        Assert.True(code is null || zh["code"]!.GetValue<string>() == code, $"{service} {method} {path}: {zh.ToJsonString()}");
        Assert.True(IsChinese(zh["title"]!.GetValue<string>()) && IsChinese(zh["detail"]!.GetValue<string>()), $"{service} {method} {path}: {zh.ToJsonString()}");

        var en = await ProblemAsync(service, method, path, token, content(), status, "en");
        Assert.Equal(zh["code"]!.GetValue<string>(), en["code"]!.GetValue<string>());
        Assert.False(IsChinese(en["title"]!.GetValue<string>()) || IsChinese(en["detail"]!.GetValue<string>()), $"{service} {method} {path}: {en.ToJsonString()}");
    }

    [Fact]
    public async Task Every_services_framework_problems_are_chinese_first_and_english_on_request()
    {
        var (candidateId, candidate) = await platform.Client.NewCandidateAsync();
        var site = await platform.Client.SiteReviewerTokenAsync("4301");
        var @operator = await platform.Client.OperatorTokenAsync();
        var someCase = Guid.NewGuid();
        var cases = new (string Service, HttpMethod Method, string Path, string? Token, Func<HttpContent?> Content, HttpStatusCode Status, string? Code)[]
        {
            ("Registration", HttpMethod.Get, "/api/v1/registrations/no/such/route", candidate, () => null, HttpStatusCode.NotFound, "not_found"),
            ("Registration", HttpMethod.Get, "/api/v1/registrations/me", null, () => null, HttpStatusCode.Unauthorized, "unauthenticated"),
            ("Registration", HttpMethod.Put, "/api/v1/registrations/years/2027", candidate, () => Json("{}"), HttpStatusCode.Forbidden, "forbidden"),
            ("Registration", HttpMethod.Patch, "/api/v1/registrations/me", candidate, () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            ("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, PlainText, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, () => Json("{\"mobileNumber\": 13800000000"), HttpStatusCode.BadRequest, "bad_request"),
            // A property sent twice is a malformed body, not its last value.
            ("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate,
                () => Json("{\"mobileNumber\": \"13800000000\", \"mobileNumber\": \"13900000000\"}"), HttpStatusCode.BadRequest, "bad_request"),
            ("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, HugeJson, HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),

            (Materials, HttpMethod.Get, "/api/v1/materials/no-such-thing", candidate, () => null, HttpStatusCode.NotFound, "not_found"),
            (Materials, HttpMethod.Get, $"/api/v1/materials/candidates/{candidateId}", null, () => null, HttpStatusCode.Unauthorized, "unauthenticated"),
            (Materials, HttpMethod.Get, "/api/v1/materials/catalogs/2027/43", candidate, () => null, HttpStatusCode.Forbidden, "forbidden"),
            (Materials, HttpMethod.Patch, $"/api/v1/materials/candidates/{candidateId}/submit", candidate, () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            (Materials, HttpMethod.Post, $"/api/v1/materials/candidates/{candidateId}/images", candidate, () => Json("{}"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            (Materials, HttpMethod.Get, "/api/v1/materials/catalog?examYear=abc", candidate, () => null, HttpStatusCode.BadRequest, "bad_request"),
            (Materials, HttpMethod.Put, "/api/v1/materials/areas/43/settings", @operator, HugeJson, HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),

            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/no/such/route", site, () => null, HttpStatusCode.NotFound, "not_found"),
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases", null, () => null, HttpStatusCode.Unauthorized, "unauthenticated"),
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/metrics", site, () => null, HttpStatusCode.Forbidden, "forbidden"),
            ("ReviewWorkflow", HttpMethod.Patch, $"/api/v1/reviews/cases/{someCase}/claim", site, () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            ("ReviewWorkflow", HttpMethod.Post, $"/api/v1/reviews/cases/{someCase}/return", site, PlainText, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("ReviewWorkflow", HttpMethod.Post, $"/api/v1/reviews/cases/{someCase}/return", site, () => Json("{\"feedback\": 5}"), HttpStatusCode.BadRequest, "bad_request"),
            ("ReviewWorkflow", HttpMethod.Post, $"/api/v1/reviews/cases/{someCase}/return", site, HugeJson, HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),

            ("Notification", HttpMethod.Get, "/api/v1/notifications/no/such/route", @operator, () => null, HttpStatusCode.NotFound, "not_found"),
            ("Notification", HttpMethod.Get, "/api/v1/notifications/sms", null, () => null, HttpStatusCode.Unauthorized, "unauthenticated"),
            ("Notification", HttpMethod.Get, "/api/v1/notifications/sms", candidate, () => null, HttpStatusCode.Forbidden, "forbidden"),
            ("Notification", HttpMethod.Delete, "/api/v1/notifications/templates", @operator, () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/templates", @operator, PlainText, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/templates", @operator, () => Json("{\"templates\": 5}"), HttpStatusCode.BadRequest, "bad_request"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/templates", @operator, HugeJson, HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),

            // ImageValidation: the photo tool is public, normalising is for candidates and services; its 429 is asserted in PhotoToolRateLimitTests.
            ("ImageValidation", HttpMethod.Get, "/api/v1/validation/no/such/route", candidate, () => null, HttpStatusCode.NotFound, "not_found"),
            ("ImageValidation", HttpMethod.Post, "/api/v1/validation/normalise", null, () => PlatformClient.ImageForm("x", [0xFF]), HttpStatusCode.Unauthorized, "unauthenticated"),
            ("ImageValidation", HttpMethod.Post, "/api/v1/validation/normalise", site, () => PlatformClient.ImageForm("x", [0xFF]), HttpStatusCode.Forbidden, "forbidden"),
            ("ImageValidation", HttpMethod.Get, "/api/v1/validation/photo", candidate, () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            // Signed in: without a token a body the endpoint does not accept is answered 401 by the fallback policy, not 415.
            ("ImageValidation", HttpMethod.Post, "/api/v1/validation/photo", candidate, () => Json("{}"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("ImageValidation", HttpMethod.Post, "/api/v1/validation/photo", null, () => new MultipartFormDataContent { { new StringContent("x"), "other" } },
                HttpStatusCode.BadRequest, "validation"),
            ("ImageValidation", HttpMethod.Post, "/api/v1/validation/photo", null, () => PlatformClient.ImageForm("photo", new byte[31 * 1024 * 1024]),
                HttpStatusCode.RequestEntityTooLarge, null),
        };
        foreach (var (service, method, path, token, content, status, code) in cases)
        {
            await AssertBothLanguagesAsync(service, method, path, token, content, status, code);
        }
    }

    [Fact]
    public async Task Every_services_own_refusals_are_chinese_first_and_english_on_request()
    {
        var (_, candidate) = await platform.Client.NewCandidateAsync();
        var site = await platform.Client.SiteReviewerTokenAsync("4301");
        var @operator = await platform.Client.OperatorTokenAsync();
        var cases = new (string Service, HttpMethod Method, string Path, string? Token, Func<HttpContent?> Content, HttpStatusCode Status, string Code)[]
        {
            ("Registration", HttpMethod.Post, "/api/v1/registrations/", candidate, () => JsonContent.Create(PlatformClient.RegistrationBody()), HttpStatusCode.Conflict, "already_registered"),
            ("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, () => Json("{\"mobileNumber\": \"12\"}"), HttpStatusCode.BadRequest, "validation"),
            ("Registration", HttpMethod.Get, $"/api/v1/registrations/{Guid.NewGuid()}/identity", site, () => null, HttpStatusCode.NotFound, "registration_not_found"),
            (Materials, HttpMethod.Get, "/api/v1/materials/catalogs/2027/zz99", @operator, () => null, HttpStatusCode.NotFound, "catalog_not_found"),
            (Materials, HttpMethod.Post, "/api/v1/materials/sessions", null, () => Json("{\"authorization\": \"forged\"}"), HttpStatusCode.Unauthorized, "authorization_invalid"),
            ("ReviewWorkflow", HttpMethod.Post, $"/api/v1/reviews/cases/{Guid.NewGuid()}/claim", site, () => null, HttpStatusCode.NotFound, "case_not_found"),
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases?state=Nowhere", site, () => null, HttpStatusCode.BadRequest, "validation"),
            // A number or a comma list is no state name (Enum.TryParse took both, as flags).
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases?state=0", site, () => null, HttpStatusCode.BadRequest, "validation"),
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases?state=SiteReview,Returned", site, () => null, HttpStatusCode.BadRequest, "validation"),
            // A category no registration can have, an area or site Registration never announced: refused, not an empty answer.
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases?category=surgery", site, () => null, HttpStatusCode.BadRequest, "validation"),
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/metrics?areaCode=98", @operator, () => null, HttpStatusCode.UnprocessableEntity, "unknown_area"),
            ("ReviewWorkflow", HttpMethod.Post, "/api/v1/reviews/rounds/site/9801/publish", @operator, () => null, HttpStatusCode.NotFound, "unknown_site"),
            (Materials, HttpMethod.Put, "/api/v1/materials/areas/98/settings", @operator, () => Json("{\"submissionMode\": \"explicit\"}"),
                HttpStatusCode.NotFound, "unknown_area"),
            (Materials, HttpMethod.Get, "/api/v1/materials/catalog?examYear=2027&areaCode=98", @operator, () => null, HttpStatusCode.NotFound, "unknown_area"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/areas/98/sender", @operator, () => Json("{\"senderName\": \"错误考区\"}"),
                HttpStatusCode.NotFound, "unknown_area"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/templates", @operator, () => Json("{\"templates\": [null]}"), HttpStatusCode.BadRequest, "validation"),
            ("Notification", HttpMethod.Get, $"/api/v1/notifications/sms/{Guid.NewGuid()}", @operator, () => null, HttpStatusCode.NotFound, "sms_not_found"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/templates/43/review-maybe", @operator, () => Json("{\"providerTemplateCode\": \"SMS_1\", \"body\": \"x\"}"),
                HttpStatusCode.UnprocessableEntity, "template_invalid"),
            ("ImageValidation", HttpMethod.Post, "/api/v1/validation/photo", null, () => PlatformClient.ImageForm("photo", "not a photo"u8.ToArray()),
                HttpStatusCode.UnprocessableEntity, "photo_rejected"),
        };
        foreach (var (service, method, path, token, content, status, code) in cases)
        {
            await AssertBothLanguagesAsync(service, method, path, token, content, status, code);
        }
    }

    [Fact]
    public async Task A_validation_problem_lists_each_fields_message_in_the_clients_language()
    {
        var (_, candidate) = await platform.Client.NewCandidateAsync();
        var zh = await ProblemAsync("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, Json("{\"mobileNumber\": \"12\"}"), HttpStatusCode.BadRequest);
        Assert.True(IsChinese(zh["errors"]!["mobileNumber"]![0]!.GetValue<string>()), zh.ToJsonString());
        var en = await ProblemAsync("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, Json("{\"mobileNumber\": \"12\"}"), HttpStatusCode.BadRequest, "en");
        Assert.Contains("11-digit", en["errors"]!["mobileNumber"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_catalog_lists_each_path_with_its_code_and_message_in_the_clients_language()
    {
        // Refused as a whole, so area 43's catalog in force does not change.
        var @operator = await platform.Client.OperatorTokenAsync();
        const string document = """{ "title": "t", "materialTypes": [ { "code": "photo" } ], "surprise": 1 }""";
        var zh = await ProblemAsync(HttpMethod.Put, "/api/v1/materials/catalogs/2027/43", @operator, Json(document), HttpStatusCode.UnprocessableEntity);
        var en = await ProblemAsync(HttpMethod.Put, "/api/v1/materials/catalogs/2027/43", @operator, Json(document), HttpStatusCode.UnprocessableEntity, "en");
        Assert.Equal("invalid_catalog", zh["code"]!.GetValue<string>());
        var (zhErrors, enErrors) = (zh["errors"]!.AsArray(), en["errors"]!.AsArray());
        static (string, string) Where(JsonNode? e) => (e!["path"]!.GetValue<string>(), e["code"]!.GetValue<string>());
        Assert.Equal(zhErrors.Select(Where), enErrors.Select(Where));
        Assert.Contains(("$.surprise", "unknown_property"), zhErrors.Select(Where));
        Assert.All(zhErrors, e => Assert.True(IsChinese(e!["message"]!.GetValue<string>()), zh.ToJsonString()));
        Assert.All(enErrors, e => Assert.False(IsChinese(e!["message"]!.GetValue<string>()), en.ToJsonString()));
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

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("image/*")]
    public async Task A_client_that_asks_for_no_json_still_gets_a_problem_with_its_code(string accept)
    {
        // The framework's writer declines such a request: the status pages answered in plain text, the exception
        // handler with an empty body, and a typed problem skipped the localisation (its English member leaked).
        var (_, candidate) = await platform.Client.NewCandidateAsync();
        var cases = new (string Service, HttpMethod Method, string Path, string? Token, HttpContent? Content, HttpStatusCode Status, string Code)[]
        {
            ("Registration", HttpMethod.Get, "/api/v1/registrations/me", null, null, HttpStatusCode.Unauthorized, "unauthenticated"),
            ("Registration", HttpMethod.Get, "/api/v1/registrations/no/such/route", candidate, null, HttpStatusCode.NotFound, "not_found"),
            ("Registration", HttpMethod.Patch, "/api/v1/registrations/me", candidate, null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            ("Registration", HttpMethod.Put, "/api/v1/registrations/me/contact", candidate, Json("{"), HttpStatusCode.BadRequest, "bad_request"),
            ("Registration", HttpMethod.Post, "/api/v1/registrations/", candidate, JsonContent.Create(PlatformClient.RegistrationBody()), HttpStatusCode.Conflict, "already_registered"),
            ("ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases?limit=abc", await platform.Client.SiteReviewerTokenAsync("4301"), null, HttpStatusCode.BadRequest, "bad_request"),
        };
        foreach (var (service, method, path, token, content, status, code) in cases)
        {
            var problem = await ProblemAsync(service, method, path, token, content, status, accept: accept);
            Assert.True(problem["code"]!.GetValue<string>() == code, $"{service} {method} {path}: {problem.ToJsonString()}");
            Assert.True(IsChinese(problem["title"]!.GetValue<string>()) && IsChinese(problem["detail"]!.GetValue<string>()), problem.ToJsonString());
            Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()), problem.ToJsonString());
            if (path.Contains("limit=abc", StringComparison.Ordinal))
            {
                // The name the client sent, not the property of the endpoint's parameter record (Limit).
                Assert.Equal("limit", problem["field"]!.GetValue<string>());
            }
        }
    }
}
