using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>A submitted application waiting in site review, with what a test needs to act on it.</summary>
public sealed record SubmittedCase(Guid CandidateId, string CandidateToken, Guid CaseId, IReadOnlyList<Guid> ImageIds);

/// <summary>Reviewer-side steps over HTTP for the review workflow tests (the shared PlatformClient stays untouched).</summary>
public sealed class ReviewSteps(PlatformClient client)
{
    public const string Service = "ReviewWorkflow";

    public PlatformClient Client { get; } = client;

    public Task<string> SiteReviewerAsync(string name, string site = "4301") =>
        Client.TokenAsync(new { subject = $"site-{name}", role = "site-reviewer", site });

    public Task<string> AreaReviewerAsync(string name, string area = "43") =>
        Client.TokenAsync(new { subject = $"area-{name}", role = "area-reviewer", area });

    /// <summary>Registers a fresh candidate, uploads the required images, submits, and waits for the case to open.</summary>
    public async Task<SubmittedCase> SubmitNewAsync(string reviewerToken, string? idNumber = null)
    {
        var (candidateId, candidate) = await Client.NewCandidateAsync(idNumber: idNumber);
        foreach (var type in PlatformClient.PlainCandidateSet)
        {
            await Client.UploadAsync(candidateId, candidate, type, ReviewTestImages.Document());
        }
        await WaitForChecksAsync(candidateId, candidate);
        await Client.SubmitAsync(candidateId, candidate);
        var caseId = await WaitForCaseAsync(candidateId, reviewerToken, c => c["state"]!.GetValue<string>() == "SiteReview");
        var view = await GetCaseAsync(caseId, reviewerToken);
        return new SubmittedCase(candidateId, candidate, caseId, view["imageIds"]!.AsArray().Select(i => Guid.Parse(i!.GetValue<string>())).ToList());
    }

    /// <summary>Pages through the caller's whole queue (keyset cursor) until the candidate's case matches.</summary>
    public Task<Guid> WaitForCaseAsync(Guid candidateId, string reviewerToken, Func<JsonNode, bool> matches, string query = "") =>
        Eventually.GetAsync<object>(async () =>
        {
            string? cursor = null;
            do
            {
                var path = $"/api/v1/reviews/cases?limit=200{query}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
                var page = await Client.GetJsonAsync(Service, path, reviewerToken);
                var match = page["items"]!.AsArray().FirstOrDefault(c => c!["candidateId"]!.GetValue<string>() == candidateId.ToString() && matches(c));
                if (match is not null)
                {
                    return Guid.Parse(match["caseId"]!.GetValue<string>());
                }
                cursor = page["nextCursor"]?.GetValue<string>();
            }
            while (cursor is not null);
            return null;
        }, "the review case to reach the expected state").ContinueWith(t => (Guid)t.Result, TaskScheduler.Default);

    /// <summary>Waits until ImageValidation has judged every image (submit refuses images that failed).</summary>
    public Task WaitForChecksAsync(Guid candidateId, string candidateToken) =>
        Eventually.TrueAsync(async () =>
        {
            var view = await Client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidateToken);
            return view["images"]!.AsArray().All(i => i!["validation"]!.GetValue<string>() != "Pending");
        }, "every image to be checked");

    public Task<JsonNode> GetCaseAsync(Guid caseId, string token) => Client.GetJsonAsync(Service, $"/api/v1/reviews/cases/{caseId}", token);

    public async Task<List<JsonNode>> TimelineAsync(Guid caseId, string token) =>
        (await Client.GetJsonAsync(Service, $"/api/v1/reviews/cases/{caseId}/timeline", token)).AsArray().Select(e => e!).ToList();

    /// <summary>
    /// Every entry's detail reads in Chinese for the reviewers and provinces who read it: once the ids, the messages'
    /// type names, the reviewers' account names (the timeline's own actors) and a material code standing in for a name
    /// not yet known are taken out, no English word is left, and no time is in ISO form. (The tests' own free text —
    /// feedback, notes, reasons — is Chinese.)
    /// </summary>
    public static void AssertReadsInChinese(IReadOnlyList<JsonNode> timeline)
    {
        const string Id = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        var accounts = timeline.Select(e => e["actor"]!.GetValue<string>()).Where(a => a.Contains('-', StringComparison.Ordinal))
            .Distinct().OrderByDescending(a => a.Length).ToList();
        foreach (var entry in timeline.Where(e => e["detail"] is not null))
        {
            var detail = entry["detail"]!.GetValue<string>();
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T", detail);
            var rest = Regex.Replace(detail, $"^[A-Z][A-Za-z]+：|图片 {Id}（[a-z0-9-]+）|{Id}", "");
            rest = accounts.Aggregate(rest, (text, account) => text.Replace(account, "", StringComparison.Ordinal));
            Assert.False(Regex.IsMatch(rest, "[A-Za-z]{2,}"), $"{entry["kind"]}: \"{detail}\" is not in Chinese");
        }
    }

    public Task<HttpResponseMessage> PostAsync(string path, string token, object? body = null) =>
        Client.SendAsync(HttpMethod.Post, Service, path, token, body is null ? null : JsonContent.Create(body));

    public Task<HttpResponseMessage> ClaimAsync(Guid caseId, string token) => PostAsync($"/api/v1/reviews/cases/{caseId}/claim", token);

    // The approvals try again while an image's verdict has not reached ReviewWorkflow (409 image_check_pending), as a
    // reviewer would; a test about that refusal posts directly.
    public Task<HttpResponseMessage> ApproveImageAsync(Guid caseId, Guid imageId, string token) =>
        PlatformClient.WhenCheckedAsync(() => PostAsync($"/api/v1/reviews/cases/{caseId}/images/{imageId}/approve", token));

    public Task<HttpResponseMessage> RequestReplacementAsync(Guid caseId, Guid imageId, string token, string? reasonCode, string? note = null) =>
        PostAsync($"/api/v1/reviews/cases/{caseId}/images/{imageId}/request-replacement", token, new { reasonCode, note });

    public Task<HttpResponseMessage> ApproveAsync(Guid caseId, string token) =>
        PlatformClient.WhenCheckedAsync(() => PostAsync($"/api/v1/reviews/cases/{caseId}/approve", token));

    public Task<HttpResponseMessage> ApproveAllAsync(Guid caseId, string token) =>
        PlatformClient.WhenCheckedAsync(() => PostAsync($"/api/v1/reviews/cases/{caseId}/approve-all", token));

    public Task<HttpResponseMessage> ReturnAsync(Guid caseId, string token, string? feedback, IReadOnlyList<Guid>? imageIds = null) =>
        PostAsync($"/api/v1/reviews/cases/{caseId}/return", token, new { feedback, imageIds });

    public async Task<JsonNode> OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and stable code.</summary>
    public static async Task<JsonObject> RefusedAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string code)
    {
        using var response = await call;
        var problem = await PlatformClient.ProblemAsync(response, status);
        Assert.Equal(code, problem["code"]?.GetValue<string>());
        return problem;
    }

    /// <summary>Claims, approves every image one by one, then approves the application at the caller's level.</summary>
    public async Task<JsonNode> ReviewAndApproveAsync(Guid caseId, string token)
    {
        await OkAsync(ClaimAsync(caseId, token));
        var view = await GetCaseAsync(caseId, token);
        foreach (var image in view["images"]!.AsArray().Where(i => i!["decision"]!.GetValue<string>() == "Pending"))
        {
            await OkAsync(ApproveImageAsync(caseId, Guid.Parse(image!["imageId"]!.GetValue<string>()), token));
        }
        return await OkAsync(ApproveAsync(caseId, token));
    }

    public static List<string> Kinds(IEnumerable<JsonNode> timeline) => timeline.Select(e => e["kind"]!.GetValue<string>()).ToList();
}
