using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>Every bad input gets a problem response naming what is wrong, and leaves no row and no object behind.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class BadInputTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    /// <summary>Stored originals; watermarked copies appear asynchronously once an image is validated.</summary>
    private int ObjectCount()
    {
        var originals = Path.Combine(platform.ObjectsDirectory, "originals");
        return Directory.Exists(originals) ? Directory.GetFiles(originals, "*", SearchOption.AllDirectories).Length : 0;
    }

    [Fact]
    public async Task Upload_for_an_unknown_candidate_is_a_404_problem_and_stores_nothing()
    {
        var stranger = Guid.NewGuid();
        var token = await Client.CandidateTokenAsync(stranger);
        var before = ObjectCount();
        using var form = PlatformClient.ImageForm("id-card", TestImages.Document());
        using var response = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{stranger}/images", token, form);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("application_not_found", problem["code"]!.GetValue<string>());
        Assert.Equal(before, ObjectCount());
    }

    [Fact]
    public async Task Malformed_or_invalid_registration_bodies_are_400_problems_and_create_nothing()
    {
        var candidateId = Guid.NewGuid();
        var token = await Client.CandidateTokenAsync(candidateId);

        using var malformed = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token,
            new StringContent("{\"fullName\": \"张三\", \"examYear\": ", Encoding.UTF8, "application/json"));
        var problem = await PlatformClient.ProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal("bad_request", problem["code"]!.GetValue<string>());

        using var invalid = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token,
            JsonContent.Create(new { fullName = "", idNumber = "123", mobileNumber = "2380013800", examYear = 27, areaCode = "43", siteCode = "4301", examCategory = "surgery" }));
        problem = await PlatformClient.ProblemAsync(invalid, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        foreach (var field in new[] { "fullName", "idNumber", "mobileNumber", "examYear", "examCategory" })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {problem}");
        }

        using var unknownSite = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token,
            JsonContent.Create(PlatformClient.RegistrationBody(area: "43", site: "9999")));
        problem = await PlatformClient.ProblemAsync(unknownSite, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("unknown_site", problem["code"]!.GetValue<string>());

        using var mine = await Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        await PlatformClient.ProblemAsync(mine, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("idNumber", "43010119900101124X\n")]
    [InlineData("idNumber", "\u0664\u0663\u0660\u0661\u0660\u0661\u0661\u0669\u0669\u0660\u0660\u0661\u0660\u0661\u0661\u0662\u0663X")]
    [InlineData("mobileNumber", "13912345678\n")]
    [InlineData("mobileNumber", "\u0661\u0663\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668")]
    public async Task An_id_or_mobile_number_with_a_final_newline_or_other_scripts_digits_is_refused(string field, string value)
    {
        // .NET's $ matches before a final newline and \d any script's digits: such a mobile number was stored and the
        // SMS provider then refused it, so the candidate's return notice never arrived.
        var token = await Client.CandidateTokenAsync(Guid.NewGuid());
        var body = System.Text.Json.JsonSerializer.SerializeToNode(PlatformClient.RegistrationBody())!.AsObject();
        body[field] = value;
        using var response = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(body));
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        using var mine = await Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        await PlatformClient.ProblemAsync(mine, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_upload_with_two_files_or_two_material_types_is_refused_and_stores_nothing()
    {
        var (candidateId, token) = await Client.NewCandidateAsync();
        var path = $"/api/v1/materials/candidates/{candidateId}/images";
        var before = ObjectCount();

        using var twoFiles = PlatformClient.ImageForm("id-card", TestImages.Document());
        twoFiles.Add(new ByteArrayContent(TestImages.Document()) { Headers = { ContentType = new("image/jpeg") } }, "file", "second.jpg");
        using (var response = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", path, token, twoFiles))
        {
            var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("file"), problem.ToJsonString());
        }

        using var twoTypes = PlatformClient.ImageForm("id-card", TestImages.Document());
        twoTypes.Add(new StringContent("registration-notice"), "materialType");
        using (var response = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", path, token, twoTypes))
        {
            var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("materialType"), problem.ToJsonString());
        }

        Assert.Equal(before, ObjectCount());
        using var page = await Client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
        var view = await page.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Empty(view!["images"]!.AsArray());
    }

    [Fact]
    public async Task Registering_twice_is_a_conflict()
    {
        var candidateId = Guid.NewGuid();
        var token = await Client.CandidateTokenAsync(candidateId);
        await Client.RegisterAsync(token);
        using var again = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(PlatformClient.RegistrationBody()));
        var problem = await PlatformClient.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal("already_registered", problem["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Uploads_are_refused_by_bytes_size_type_and_count_with_nothing_stored()
    {
        var (candidateId, token) = await Client.NewCandidateAsync();
        var path = $"/api/v1/materials/candidates/{candidateId}/images";
        var before = ObjectCount();

        async Task<string> RefusedAsync(MultipartFormDataContent form, HttpStatusCode status)
        {
            using (form)
            {
                using var response = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", path, token, form);
                return (await PlatformClient.ProblemAsync(response, status))["code"]!.GetValue<string>();
            }
        }

        Assert.Equal("unsupported_format", await RefusedAsync(PlatformClient.ImageForm("id-card", Encoding.UTF8.GetBytes("just text, named .jpg"), "fake.jpg"), HttpStatusCode.UnsupportedMediaType));
        Assert.Equal("file_too_large", await RefusedAsync(PlatformClient.ImageForm("id-card", TestImages.Document(300 * 1024)), HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal("unknown_material_type", await RefusedAsync(PlatformClient.ImageForm("passport-of-mars", TestImages.Document()), HttpStatusCode.UnprocessableEntity));
        var noFile = new MultipartFormDataContent { { new StringContent("id-card"), "materialType" } };
        Assert.Equal("validation", await RefusedAsync(noFile, HttpStatusCode.BadRequest));
        Assert.Equal(before, ObjectCount());

        for (var i = 0; i < 3; i++)
        {
            await Client.UploadAsync(candidateId, token, "id-card", TestImages.Png());
        }
        var afterThree = ObjectCount();
        Assert.Equal("material_count_full", await RefusedAsync(PlatformClient.ImageForm("id-card", TestImages.Document()), HttpStatusCode.Conflict));
        Assert.Equal(afterThree, ObjectCount());
        var view = await Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
        Assert.Equal(3, view["images"]!.AsArray().Count);
    }

    [Fact]
    public async Task Upload_or_delete_on_a_locked_application_is_a_409_problem_and_changes_nothing()
    {
        var (candidateId, token) = await Client.NewCandidateAsync();
        await Client.UploadRequiredAsync(candidateId, token);
        await Client.SubmitAsync(candidateId, token);
        var before = ObjectCount();
        var view = await Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
        var imageId = view["images"]![0]!["imageId"]!.GetValue<string>();

        using var form = PlatformClient.ImageForm("institution-licence", TestImages.Document());
        using var upload = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images", token, form);
        Assert.Equal("application_locked", (await PlatformClient.ProblemAsync(upload, HttpStatusCode.Conflict))["code"]!.GetValue<string>());

        using var delete = await Client.SendAsync(HttpMethod.Delete, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{imageId}", token);
        await PlatformClient.ProblemAsync(delete, HttpStatusCode.Conflict);

        using var resubmit = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/submit", token);
        await PlatformClient.ProblemAsync(resubmit, HttpStatusCode.Conflict);

        Assert.Equal(before, ObjectCount());
        var after = await Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
        Assert.Equal(PlatformClient.PlainCandidateSet.Length, after["images"]!.AsArray().Count);
    }

    [Fact]
    public async Task Submitting_with_required_materials_missing_lists_what_is_missing()
    {
        var (candidateId, token) = await Client.NewCandidateAsync();
        await Client.UploadAsync(candidateId, token, "id-card", TestImages.Document());
        using var response = await Client.SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/submit", token);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("materials_missing", problem["code"]!.GetValue<string>());
        var missing = problem["missing"]!.AsArray().Select(m => m!["materialType"]!.GetValue<string>()).ToList();
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], missing);
        var view = await Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
        Assert.False(view["locked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_illegal_review_transition_is_a_409_problem()
    {
        var (candidateId, token) = await Client.NewCandidateAsync();
        await Client.UploadRequiredAsync(candidateId, token);
        await Client.SubmitAsync(candidateId, token);
        var areaReviewer = await Client.AreaReviewerTokenAsync("43");
        var caseId = await Client.WaitForCaseAsync(candidateId, areaReviewer, "SiteReview");
        using var response = await Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/approve", areaReviewer);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("illegal_transition", problem["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ReviewWorkflow", "/api/v1/reviews/cases?limit=0", "site")]
    [InlineData("ReviewWorkflow", "/api/v1/reviews/cases?limit=201", "site")]
    [InlineData("Registration", "/api/v1/registrations/ops/identity-access?limit=1001", "operator")]
    public async Task A_page_size_out_of_range_is_a_400_problem_naming_limit_not_a_silently_smaller_page(string service, string path, string caller)
    {
        var token = caller == "site" ? await Client.SiteReviewerTokenAsync("4301") : await Client.OperatorTokenAsync();
        using var response = await Client.SendAsync(HttpMethod.Get, service, path, token);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem["code"]!.GetValue<string>());
        Assert.Contains("limit", problem["errors"]!.AsObject().Select(e => e.Key));
    }

    private async Task<JsonObject> RefusedAsync(HttpMethod method, string service, string path, string token, HttpStatusCode status, string code, HttpContent? content = null)
    {
        using var response = await Client.SendAsync(method, service, path, token, content);
        var problem = await PlatformClient.ProblemAsync(response, status);
        Assert.True(problem["code"]!.GetValue<string>() == code, $"{method} {path}: {problem.ToJsonString()}");
        return problem;
    }

    [Fact]
    public async Task A_long_value_is_quoted_capped_in_the_problem_detail()
    {
        var @operator = await Client.OperatorTokenAsync();
        var value = new string('x', 400);
        var metrics = await RefusedAsync(HttpMethod.Get, "ReviewWorkflow", $"/api/v1/reviews/metrics?areaCode={value}", @operator,
            HttpStatusCode.UnprocessableEntity, "unknown_area");
        AssertCapped(metrics["detail"]!.GetValue<string>());

        // The framework's own binding failure quotes the value it could not read.
        var limit = await RefusedAsync(HttpMethod.Get, "ReviewWorkflow", $"/api/v1/reviews/cases?limit={value}", await Client.SiteReviewerTokenAsync("4301"),
            HttpStatusCode.BadRequest, "bad_request");
        AssertCapped(limit["detail"]!.GetValue<string>());

        // Unknown webhook event types were quoted whole, all of them: 200 long ones made a 1 MB problem.
        var province = await Client.TokenAsync(new { subject = "province-43", role = "province", area = "43" });
        var unknownTypes = await RefusedAsync(HttpMethod.Post, "Notification", "/api/v1/notifications/webhooks/endpoints", province,
            HttpStatusCode.UnprocessableEntity, "webhook_event_type_unknown",
            JsonContent.Create(new { url = "https://sync.example.com/hook", eventTypes = Enumerable.Range(0, 200).Select(i => value + i).ToArray() }));
        var typesDetail = unknownTypes["detail"]!.GetValue<string>();
        AssertCapped(typesDetail);
        Assert.Contains("等 200 个", typesDetail, StringComparison.Ordinal);
        Assert.True(typesDetail.Length < 1000, typesDetail);

        static void AssertCapped(string detail)
        {
            Assert.Contains(new string('x', 64) + "…", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(new string('x', 65), detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_property_sent_twice_is_a_400_problem_and_creates_nothing()
    {
        // System.Text.Json used to keep the last of the two: the registration would have been made in area 44.
        var token = await Client.CandidateTokenAsync(Guid.NewGuid());
        var body = System.Text.Json.JsonSerializer.Serialize(PlatformClient.RegistrationBody());
        var twice = "{\"areaCode\":\"44\"," + body[1..];
        using var response = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token,
            new StringContent(twice, Encoding.UTF8, "application/json"));
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("bad_request", problem["code"]!.GetValue<string>());
        Assert.Contains("不止一次", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("$.areaCode", problem["field"]!.GetValue<string>());
        using var mine = await Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        await PlatformClient.ProblemAsync(mine, HttpStatusCode.NotFound);

        // A property the service does not know is still fine (a provincial client may send a newer version's fields).
        var extra = "{\"comesFromAFutureVersion\":true," + body[1..];
        using var accepted = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token,
            new StringContent(extra, Encoding.UTF8, "application/json"));
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_json_body_in_a_charset_the_platform_cannot_decode_is_a_415_problem_and_a_quoted_utf8_is_read()
    {
        // Both were 500s: the framework's body reader throws for a charset .NET does not know, and takes a quoted
        // charset (legal HTTP) literally.
        var token = await Client.CandidateTokenAsync(Guid.NewGuid());
        var body = System.Text.Json.JsonSerializer.Serialize(PlatformClient.RegistrationBody());
        using var gbk = new StringContent(body, Encoding.UTF8);
        gbk.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=gbk");
        using var refused = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, gbk);
        var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported_media_type", problem["code"]!.GetValue<string>());
        Assert.Contains("“gbk”", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var mine = await Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me", token);
        await PlatformClient.ProblemAsync(mine, HttpStatusCode.NotFound);

        using var quoted = new StringContent(body, Encoding.UTF8);
        quoted.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=\"utf-8\"");
        using var accepted = await Client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, quoted);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}
