using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Review;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// Issue 15 item 3: a resource outside the caller's scope answers exactly as a missing one — status, code, title,
/// detail — so nobody can tell whether it exists. (A wrong role is still 403: that says nothing about the resource.)
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class OutOfScopeTests(EmbeddedPlatform platform)
{
    private readonly ReviewSteps _steps = new(platform.Client);

    [Fact]
    public async Task Another_sites_case_registration_identity_and_materials_look_exactly_like_missing_ones()
    {
        var ownSite = await _steps.SiteReviewerAsync("scope-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(ownSite);
        var otherSite = await _steps.SiteReviewerAsync("outsider", "4302");
        var otherArea = await _steps.AreaReviewerAsync("outsider", "44");
        var otherCandidate = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        var missingCase = Guid.NewGuid();
        var missingCandidate = Guid.NewGuid();

        var probes = new (string Who, string Token, string Service, HttpMethod Method, string Path, object? Body)[]
        {
            ("site reviewer", otherSite, "ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases/{case}", null),
            ("site reviewer", otherSite, "ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases/{case}/timeline", null),
            ("site reviewer", otherSite, "ReviewWorkflow", HttpMethod.Post, "/api/v1/reviews/cases/{case}/claim", null),
            ("site reviewer", otherSite, "ReviewWorkflow", HttpMethod.Post, "/api/v1/reviews/cases/{case}/approve", null),
            ("area reviewer", otherArea, "ReviewWorkflow", HttpMethod.Get, "/api/v1/reviews/cases/{case}", null),
            ("site reviewer", otherSite, "Registration", HttpMethod.Get, "/api/v1/registrations/{candidate}", null),
            ("site reviewer", otherSite, "Registration", HttpMethod.Get, "/api/v1/registrations/{candidate}/corrections", null),
            ("site reviewer", otherSite, "Registration", HttpMethod.Post, "/api/v1/registrations/{candidate}/corrections", new { fullName = "张叁", reason = "核对身份证" }),
            ("site reviewer", otherSite, "Registration", HttpMethod.Get, "/api/v1/registrations/{candidate}/identity", null),
            ("area reviewer", otherArea, "Registration", HttpMethod.Get, "/api/v1/registrations/{candidate}", null),
            ("site reviewer", otherSite, "MaterialStorage", HttpMethod.Get, "/api/v1/materials/candidates/{candidate}", null),
            ("area reviewer", otherArea, "MaterialStorage", HttpMethod.Get, "/api/v1/materials/candidates/{candidate}", null),
            ("candidate", otherCandidate, "MaterialStorage", HttpMethod.Get, "/api/v1/materials/candidates/{candidate}", null),
            ("candidate", otherCandidate, "MaterialStorage", HttpMethod.Post, "/api/v1/materials/candidates/{candidate}/submit", null),
            ("candidate", otherCandidate, "MaterialStorage", HttpMethod.Get, "/api/v1/materials/candidates/{candidate}/images/" + submitted.ImageIds[0] + "/content", null),
            ("candidate", otherCandidate, "Registration", HttpMethod.Get, "/api/v1/registrations/{candidate}", null),
        };
        foreach (var (who, token, service, method, path, body) in probes)
        {
            var existing = path.Replace("{case}", submitted.CaseId.ToString(), StringComparison.Ordinal).Replace("{candidate}", submitted.CandidateId.ToString(), StringComparison.Ordinal);
            var missing = path.Replace("{case}", missingCase.ToString(), StringComparison.Ordinal).Replace("{candidate}", missingCandidate.ToString(), StringComparison.Ordinal);
            var outOfScope = await AnswerAsync(token, service, method, existing, body, submitted.CaseId, submitted.CandidateId);
            var absent = await AnswerAsync(token, service, method, missing, body, missingCase, missingCandidate);
            Assert.True(outOfScope == absent, $"{who} {method} {path}: out of scope answered\n{outOfScope}\nbut missing answered\n{absent}");
            Assert.StartsWith("404 ", outOfScope, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bulk_approval_reports_another_sites_case_with_the_same_code_and_detail_as_a_missing_one()
    {
        var ownSite = await _steps.SiteReviewerAsync("bulk-" + Guid.NewGuid().ToString("N")[..6]);
        var submitted = await _steps.SubmitNewAsync(ownSite);
        var otherSite = await _steps.SiteReviewerAsync("outsider", "4302");
        var missing = Guid.NewGuid();
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "ReviewWorkflow", "/api/v1/reviews/cases/bulk-approve", otherSite,
            JsonContent.Create(new { caseIds = new[] { submitted.CaseId, missing } }));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        var results = (await response.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray();
        var outOfScope = results.Single(r => r!["caseId"]!.GetValue<string>() == submitted.CaseId.ToString())!;
        var absent = results.Single(r => r!["caseId"]!.GetValue<string>() == missing.ToString())!;
        Assert.False(outOfScope["approved"]!.GetValue<bool>());
        Assert.Equal(absent["code"]!.GetValue<string>(), outOfScope["code"]!.GetValue<string>());
        Assert.Equal(absent["detail"]?.GetValue<string>(), outOfScope["detail"]?.GetValue<string>());
        Assert.Equal("case_not_found", outOfScope["code"]!.GetValue<string>());
    }

    /// <summary>Status and body, with the trace id dropped and the requested ids (the caller's own input) made neutral.</summary>
    private async Task<string> AnswerAsync(string token, string service, HttpMethod method, string path, object? body, Guid caseId, Guid candidateId)
    {
        using var response = await platform.Client.SendAsync(method, service, path, token, body is null ? null : JsonContent.Create(body));
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        json?.Remove("traceId");
        var normalised = (json?.ToJsonString() ?? text).Replace(caseId.ToString(), "{case}", StringComparison.Ordinal).Replace(candidateId.ToString(), "{candidate}", StringComparison.Ordinal);
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {normalised}";
    }
}
