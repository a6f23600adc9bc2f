using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// Talks to a running platform over HTTP the way a candidate, a reviewer or an operator would. Tokens come from
/// Registration's development issuer, or from <paramref name="issueToken"/> where a deployment has it off (the
/// deployment tests sign them as the identity provider would).
/// </summary>
public sealed class PlatformClient(IReadOnlyDictionary<string, Uri> services, Func<JsonObject, string>? issueToken = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public IReadOnlyDictionary<string, Uri> Services { get; } = services;

    public Uri Url(string service, string path) => new(Services[service], path);

    public async Task<string> TokenAsync(object request)
    {
        if (issueToken is not null)
        {
            return issueToken(JsonSerializer.SerializeToNode(request, JsonSerializerOptions.Web)!.AsObject());
        }
        using var response = await _http.PostAsJsonAsync(Url("Registration", "/api/v1/dev/tokens"), request);
        await EnsureAsync(response, HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["accessToken"]!.GetValue<string>();
    }

    public Task<string> CandidateTokenAsync(Guid candidateId) =>
        TokenAsync(new { subject = $"candidate-{candidateId:N}", role = "candidate", candidateId });

    public Task<string> SiteReviewerTokenAsync(string site) => TokenAsync(new { subject = $"site-reviewer-{site}", role = "site-reviewer", site });

    public Task<string> AreaReviewerTokenAsync(string area) => TokenAsync(new { subject = $"area-reviewer-{area}", role = "area-reviewer", area });

    public Task<string> OperatorTokenAsync() => TokenAsync(new { subject = "operator", role = "operator" });

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string service, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, Url(service, path)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await _http.SendAsync(request);
    }

    /// <summary>Sends a request the caller built (extra headers such as If-None-Match or Accept-Language).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    public async Task<JsonNode> GetJsonAsync(string service, string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, service, path, token);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>
    /// A mobile number of the candidate's own: Notification rate-limits SMS per number, so tests that shared
    /// one number would hold each other's messages back.
    /// </summary>
    public static string NewMobileNumber() => "13" + Random.Shared.NextInt64(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A registration of a candidate of their own: a fresh valid ID number (<see cref="TestIdNumbers"/>) unless the test gives one.</summary>
    public static object RegistrationBody(string area = "43", string site = "4301", string? mobile = null, string? idNumber = null) => new
    {
        fullName = "张三",
        idNumber = idNumber ?? TestIdNumbers.New(area),
        mobileNumber = mobile ?? NewMobileNumber(),
        examYear = 2027,
        areaCode = area,
        siteCode = site,
        examCategory = "practitioner-clinical",
    };

    public async Task RegisterAsync(string candidateToken, string area = "43", string site = "4301", string? idNumber = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", candidateToken,
            JsonContent.Create(RegistrationBody(area, site, idNumber: idNumber)));
        await EnsureAsync(response, HttpStatusCode.Created);
    }

    /// <summary>A fresh candidate of this test: a token, a registration, and the material application it opens.</summary>
    public async Task<(Guid Id, string Token)> NewCandidateAsync(string area = "43", string site = "4301", string? idNumber = null)
    {
        var candidateId = Guid.NewGuid();
        var token = await CandidateTokenAsync(candidateId);
        await RegisterAsync(token, area, site, idNumber);
        await WaitForApplicationAsync(candidateId, token);
        return (candidateId, token);
    }

    /// <summary>MaterialStorage opens the application when CandidateRegistered arrives.</summary>
    public Task<JsonNode> WaitForApplicationAsync(Guid candidateId, string token) =>
        Eventually.GetAsync(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonNode>() : null;
        }, "the material application to open");

    public static MultipartFormDataContent ImageForm(string materialType, byte[] content, string fileName = "scan.jpg")
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(materialType), "materialType");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", fileName);
        return form;
    }

    public async Task<Guid> UploadAsync(Guid candidateId, string token, string materialType, byte[] content)
    {
        using var form = ImageForm(materialType, content);
        using var response = await SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images", token, form);
        await EnsureAsync(response, HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        return Guid.Parse(body!["imageId"]!.GetValue<string>());
    }

    /// <summary>
    /// What the seed catalog asks of a plain candidate (seeds/004 各类别均需上传): three ID images, the trial institution's
    /// licence copy, the trial-period certificate, the graduation certificate and the registration notice.
    /// </summary>
    public static readonly string[] PlainCandidateSet =
        ["id-card", "id-card", "id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"];

    /// <summary>Uploads <see cref="PlainCandidateSet"/>.</summary>
    public async Task UploadRequiredAsync(Guid candidateId, string token)
    {
        foreach (var type in PlainCandidateSet)
        {
            await UploadAsync(candidateId, token, type, TestImages.Document());
        }
    }

    public async Task<JsonNode> SubmitAsync(Guid candidateId, string token)
    {
        using var response = await SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/submit", token);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public Task<Guid> WaitForCaseAsync(Guid candidateId, string reviewerToken, string state) =>
        Eventually.GetAsync<object>(async () =>
        {
            var page = await GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/cases?state={state}&limit=200", reviewerToken);
            var match = page["items"]!.AsArray().FirstOrDefault(c => c!["candidateId"]!.GetValue<string>() == candidateId.ToString());
            return match is null ? null : Guid.Parse(match["caseId"]!.GetValue<string>());
        }, $"a review case in state {state}").ContinueWith(t => (Guid)t.Result, TaskScheduler.Default);

    /// <summary>
    /// What a reviewer does in the SPA: claim the case, approve each image (✓), then approve the application; an image whose
    /// check has not reported yet (409 image_check_pending, 图片检测尚未完成) is tried again a moment later, as a reviewer would.
    /// </summary>
    public async Task ApproveAsync(Guid caseId, string reviewerToken)
    {
        using (var claim = await SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/claim", reviewerToken))
        {
            await EnsureAsync(claim, HttpStatusCode.OK);
        }
        var reviewCase = await GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}", reviewerToken);
        foreach (var image in reviewCase["images"]!.AsArray().Where(i => i!["decision"]!.GetValue<string>() != "Approved"))
        {
            using var approveImage = await WhenCheckedAsync(() =>
                SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/images/{image!["imageId"]!.GetValue<string>()}/approve", reviewerToken));
            await EnsureAsync(approveImage, HttpStatusCode.OK);
        }
        using var response = await WhenCheckedAsync(() => SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/approve", reviewerToken));
        await EnsureAsync(response, HttpStatusCode.OK);
    }

    /// <summary>
    /// Sends a decision again while ReviewWorkflow answers 409 image_check_pending: the verdict is on its way (ImageValidation
    /// judged, the message has not been handled yet). Any other answer, or the same one after a minute, is returned.
    /// </summary>
    public static async Task<HttpResponseMessage> WhenCheckedAsync(Func<Task<HttpResponseMessage>> call)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var response = await call();
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline
                || !(await response.Content.ReadAsStringAsync()).Contains("\"image_check_pending\"", StringComparison.Ordinal))
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(200);
        }
    }

    public Task WaitForStatusAsync(string candidateToken, string label) =>
        Eventually.TrueAsync(async () =>
        {
            var registration = await GetJsonAsync("Registration", "/api/v1/registrations/me", candidateToken);
            return registration["status"]!["label"]!.GetValue<string>() == label;
        }, $"the candidate status to read {label}");

    public async Task<JsonArray> SmsForAsync(Guid candidateId, string operatorToken) =>
        (await GetJsonAsync("Notification", $"/api/v1/notifications/sms?candidateId={candidateId}", operatorToken)).AsArray();

    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        }
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonObject>(body)!;
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        return problem;
    }

    public void Dispose() => _http.Dispose();
}
