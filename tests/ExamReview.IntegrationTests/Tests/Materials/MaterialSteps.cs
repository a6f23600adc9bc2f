using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>A registered candidate whose material application is open.</summary>
public sealed record Candidate(Guid Id, string Token, string Area, string Site);

/// <summary>Candidate and operator steps for the material tests (the shared PlatformClient stays untouched).</summary>
public sealed class MaterialSteps(PlatformClient client)
{
    public const string Materials = "MaterialStorage";
    public const string Registration = "Registration";

    public PlatformClient Client { get; } = client;

    public Task<string> OperatorAsync() => Client.OperatorTokenAsync();

    /// <summary>A fresh exam area with one site, so a test can change the area's settings or catalog without touching anyone else's.</summary>
    public async Task<(string Area, string Site)> NewAreaAsync()
    {
        var area = "T" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();
        var site = area + "S1";
        var token = await OperatorAsync();
        using (var response = await Client.SendAsync(HttpMethod.Put, Registration, $"/api/v1/registrations/areas/{area}", token, JsonContent.Create(new { name = $"测试考区{area}" })))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        }
        using (var response = await Client.SendAsync(HttpMethod.Put, Registration, $"/api/v1/registrations/areas/{area}/sites/{site}", token, JsonContent.Create(new { name = $"测试考点{site}" })))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        }
        // MaterialStorage learns the area from Registration's announcement (ExamAreaChanged): its settings and catalog wait for that.
        await Eventually.TrueAsync(async () =>
        {
            using var settings = await Client.SendAsync(HttpMethod.Get, Materials, $"/api/v1/materials/areas/{area}/settings", token);
            return settings.StatusCode == HttpStatusCode.OK;
        }, $"MaterialStorage to learn area {area}");
        return (area, site);
    }

    public static object RegistrationBody(string area, string site, object? profile) => new
    {
        fullName = "李四",
        idNumber = TestIdNumbers.New(area),
        mobileNumber = PlatformClient.NewMobileNumber(),
        examYear = 2027,
        areaCode = area,
        siteCode = site,
        examCategory = "practitioner-clinical",
        profile,
    };

    /// <summary>Registers a fresh candidate (optionally with profile facts) and waits until MaterialStorage opened the application with that profile.</summary>
    public async Task<Candidate> RegisterAsync(string area = "43", string site = "4301", object? profile = null)
    {
        var id = Guid.NewGuid();
        var token = await Client.CandidateTokenAsync(id);
        using (var response = await Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", token, JsonContent.Create(RegistrationBody(area, site, profile))))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.Created);
        }
        await Eventually.TrueAsync(async () =>
        {
            using var response = await Client.SendAsync(HttpMethod.Get, Materials, $"/api/v1/materials/candidates/{id}", token);
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadFromJsonAsync<JsonNode>())!["profileReceived"]!.GetValue<bool>();
        }, "the material application to open with the candidate's profile");
        return new Candidate(id, token, area, site);
    }

    public Task<JsonNode> ApplicationAsync(Candidate candidate) =>
        Client.GetJsonAsync(Materials, $"/api/v1/materials/candidates/{candidate.Id}", candidate.Token);

    public static JsonNode ChecklistItem(JsonNode application, string materialType) =>
        application["checklist"]!.AsArray().Single(i => i!["materialType"]!.GetValue<string>() == materialType)!;

    public Task<HttpResponseMessage> UploadAsync(Candidate candidate, string materialType, byte[] content, string fileName = "scan.jpg") =>
        Client.SendAsync(HttpMethod.Post, Materials, $"/api/v1/materials/candidates/{candidate.Id}/images", candidate.Token, PlatformClient.ImageForm(materialType, content, fileName));

    public async Task<Guid> UploadOkAsync(Candidate candidate, string materialType, byte[]? content = null)
    {
        using var response = await UploadAsync(candidate, materialType, content ?? MaterialImages.Document());
        await PlatformClient.EnsureAsync(response, HttpStatusCode.Created);
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonNode>())!["imageId"]!.GetValue<string>());
    }

    public Task<HttpResponseMessage> ReplaceAsync(Candidate candidate, Guid imageId, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "again.jpg");
        return Client.SendAsync(HttpMethod.Put, Materials, $"/api/v1/materials/candidates/{candidate.Id}/images/{imageId}", candidate.Token, form);
    }

    public Task<HttpResponseMessage> DeleteAsync(Candidate candidate, Guid imageId) =>
        Client.SendAsync(HttpMethod.Delete, Materials, $"/api/v1/materials/candidates/{candidate.Id}/images/{imageId}", candidate.Token);

    public Task<HttpResponseMessage> SubmitAsync(Candidate candidate) =>
        Client.SendAsync(HttpMethod.Post, Materials, $"/api/v1/materials/candidates/{candidate.Id}/submit", candidate.Token);

    public async Task PutSettingsAsync(string area, string mode, long? maxImageBytes = null)
    {
        using var response = await Client.SendAsync(HttpMethod.Put, Materials, $"/api/v1/materials/areas/{area}/settings", await OperatorAsync(),
            JsonContent.Create(new { submissionMode = mode, maxImageBytes }));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
    }

    public async Task<HttpResponseMessage> PutCatalogAsync(int year, string area, string document, string? token = null) =>
        await Client.SendAsync(HttpMethod.Put, Materials, $"/api/v1/materials/catalogs/{year}/{Uri.EscapeDataString(area)}", token ?? await OperatorAsync(),
            new StringContent(document, Encoding.UTF8, "application/json"));

    /// <summary>The review case ReviewWorkflow opened for the candidate (the reviewer's queue is scoped to their site).</summary>
    public Task<Guid> WaitForCaseAsync(Guid candidateId, string reviewerToken) =>
        Eventually.GetAsync<object>(async () =>
        {
            var page = await Client.GetJsonAsync("ReviewWorkflow", "/api/v1/reviews/cases?limit=200", reviewerToken);
            var match = page["items"]!.AsArray().FirstOrDefault(c => c!["candidateId"]!.GetValue<string>() == candidateId.ToString());
            return match is null ? null : Guid.Parse(match["caseId"]!.GetValue<string>());
        }, "the review case to open").ContinueWith(t => (Guid)t.Result, TaskScheduler.Default);

    public static async Task<string> CodeAsync(HttpResponseMessage response, HttpStatusCode status) =>
        (await PlatformClient.ProblemAsync(response, status))["code"]!.GetValue<string>();
}
