using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Security;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>Issue 15 item 6: control and bidi characters refused in names and free text; stored file names sanitised.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class InputHygieneTests(EmbeddedPlatform platform)
{
    public static TheoryData<string> Forbidden => new() { "\u0000", "\u0007", "\u001b[31m", "\u007f", "\u202e", "\u2066", "\u0085", "\u200b", "\u200f", "\ufeff" };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task A_name_with_a_control_or_bidi_character_is_refused_with_a_chinese_problem_naming_the_field(string bad)
    {
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        var body = JsonSerializer(PlatformClient.RegistrationBody());
        body["fullName"] = "张" + bad + "三";
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(body));
        var problem = await AssertRefusedAsync(response, "fullName");

        // Nothing was stored: the candidate has no registration.
        using var mine = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        Assert.Equal(HttpStatusCode.NotFound, mine.StatusCode);
        Assert.Contains("U+", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_break_is_refused_in_a_name_but_allowed_in_free_text()
    {
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        var body = JsonSerializer(PlatformClient.RegistrationBody());
        body["fullName"] = "张三\n李四";
        using (var response = await platform.Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(body)))
        {
            await AssertRefusedAsync(response, "fullName");
        }

        // A reviewer's feedback may have lines: the request reaches the handler (no such case here, so 404).
        var reviewer = await platform.Client.SiteReviewerTokenAsync("4301");
        using var feedback = await platform.Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{Guid.NewGuid()}/return", reviewer,
            JsonContent.Create(new { feedback = "第一行：身份证反面不清晰\n第二行：请重新拍摄", imageIds = Array.Empty<Guid>() }));
        Assert.Equal(HttpStatusCode.NotFound, feedback.StatusCode);
    }

    [Fact]
    public async Task Free_text_of_every_service_refuses_nul_and_bidi_overrides()
    {
        var reviewer = await platform.Client.SiteReviewerTokenAsync("4301");
        var operatorToken = await platform.Client.OperatorTokenAsync();
        var (candidateId, _) = await platform.Client.NewCandidateAsync();
        var requests = new (string Service, HttpMethod Method, string Path, string Token, object Body, string Field)[]
        {
            ("Registration", HttpMethod.Post, $"/api/v1/registrations/{candidateId}/corrections", reviewer, new { mobileNumber = "13800138000", reason = "考生\u0000来电" }, "reason"),
            ("ReviewWorkflow", HttpMethod.Post, $"/api/v1/reviews/cases/{Guid.NewGuid()}/return", reviewer, new { feedback = "请重新上传\u202egpj.exe", imageIds = Array.Empty<Guid>() }, "feedback"),
            ("ReviewWorkflow", HttpMethod.Post, $"/api/v1/reviews/cases/{Guid.NewGuid()}/images/{Guid.NewGuid()}/request-replacement", reviewer, new { reasonCode = "unclear", note = "模糊\u0000" }, "note"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/areas/43/sender", operatorToken, new { senderName = "湖南\u2067考区" }, "senderName"),
            ("Notification", HttpMethod.Put, "/api/v1/notifications/templates", operatorToken,
                new { templates = new[] { new { areaCode = "43", template = "application-approved", providerTemplateCode = "SMS_1", body = "您好\u0000" } } }, "templates[0].body"),
        };
        foreach (var (service, method, path, token, body, field) in requests)
        {
            using var response = await platform.Client.SendAsync(method, service, path, token, JsonContent.Create(body));
            await AssertRefusedAsync(response, field);
        }
    }

    [Fact]
    public async Task An_uploaded_file_name_is_stored_without_path_control_or_bidi_characters()
    {
        var (candidateId, token) = await platform.Client.NewCandidateAsync();
        using var form = PlatformClient.ImageForm("id-card", TestImages.Document(), "../../etc/\u0001证件\u202Egpj.jpg");
        using (var upload = await platform.Client.SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images", token, form))
        {
            await PlatformClient.EnsureAsync(upload, HttpStatusCode.Created);
        }
        var application = await platform.Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
        var stored = application["images"]!.AsArray().Single()!["fileName"]!.GetValue<string>();
        Assert.Equal("证件gpj.jpg", stored);
        Assert.Equal("upload", TextHygiene.SanitiseFileName("\u0000/../.."));
    }

    private static async Task<JsonObject> AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_characters", problem["code"]!.GetValue<string>());
        Assert.Equal("请求无效", problem["title"]!.GetValue<string>());
        Assert.Contains("不允许的字符", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"expected field {field}: {problem.ToJsonString()}");
        return problem;
    }

    private static JsonObject JsonSerializer(object body) =>
        System.Text.Json.JsonSerializer.SerializeToNode(body, System.Text.Json.JsonSerializerOptions.Web)!.AsObject();
}
