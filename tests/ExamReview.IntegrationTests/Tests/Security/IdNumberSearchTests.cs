using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// Issue 15 item 4: reviewers find a candidate by the full ID number through the blind index. In scope: the match with
/// the number masked, and a line in the identity access log; out of scope: exactly the answer for a number nobody has;
/// candidates and province staff are refused; a malformed number is a 400 that does not echo it.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class IdNumberSearchTests(EmbeddedPlatform platform)
{
    private const string Search = "/api/v1/registrations/search/id-number";

    [Fact]
    public async Task Reviewers_in_scope_and_operators_find_the_candidate_masked_and_logged_and_outsiders_see_not_found()
    {
        var client = platform.Client;
        var idNumber = NewIdNumber();
        var candidateId = Guid.NewGuid();
        var candidate = await client.CandidateTokenAsync(candidateId);
        var body = JsonSerializerNode(PlatformClient.RegistrationBody("43", "4301"));
        body["idNumber"] = idNumber;
        using (var created = await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", candidate, JsonContent.Create(body)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var siteReviewer = await client.SiteReviewerTokenAsync("4301");
        var areaReviewer = await client.AreaReviewerTokenAsync("43");
        var @operator = await client.OperatorTokenAsync();

        foreach (var (who, token) in new[] { ("site", siteReviewer), ("area", areaReviewer), ("operator", @operator) })
        {
            // Any case of the check letter finds it: the index is over the normalised number.
            using var found = await SearchAsync(token, idNumber.ToLowerInvariant());
            Assert.True(found.StatusCode == HttpStatusCode.OK, $"{who}: {(int)found.StatusCode}");
            Assert.Equal("no-store", found.Headers.CacheControl?.ToString());
            var text = await found.Content.ReadAsStringAsync();
            Assert.DoesNotContain(idNumber[4..14], text, StringComparison.Ordinal);
            var match = Assert.Single(JsonNode.Parse(text)!["matches"]!.AsArray())!;
            Assert.Equal(candidateId, match["candidateId"]!.GetValue<Guid>());
            Assert.Equal(idNumber[..4] + "**********" + idNumber[^4..], match["maskedIdNumber"]!.GetValue<string>());
            Assert.Equal($"/api/v1/registrations/{candidateId}/identity", match["identityUrl"]!.GetValue<string>());
        }

        // Out of scope answers exactly as a number no one has: status, code and body.
        var unknown = NewIdNumber();
        foreach (var outsider in new[] { await client.SiteReviewerTokenAsync("4302"), await client.AreaReviewerTokenAsync("44") })
        {
            Assert.Equal(await AnswerAsync(outsider, unknown), await AnswerAsync(outsider, idNumber));
            Assert.StartsWith("404 ", await AnswerAsync(outsider, idNumber), StringComparison.Ordinal);
            Assert.Contains("registration_not_found", await AnswerAsync(outsider, idNumber), StringComparison.Ordinal);
        }
        // Roles without the need: refused whatever the number.
        foreach (var refused in new[] { candidate, await client.TokenAsync(new { subject = "province-43", role = "province", area = "43" }) })
        {
            using var response = await SearchAsync(refused, idNumber);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        // A malformed number is a 400 naming the field, not echoing the value.
        using (var malformed = await SearchAsync(siteReviewer, "4301011990"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.DoesNotContain("4301011990", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Each search that handed the registration out is in the access log, with who and in which scope; the outsiders' are not.
        var log = (await client.GetJsonAsync("Registration", $"/api/v1/registrations/ops/identity-access?candidateId={candidateId}", @operator)).AsArray()
            .Select(e => (What: e!["what"]!.GetValue<string>(), Role: e["role"]!.GetValue<string>(), Scope: e["scope"]!.GetValue<string>()))
            .ToList();
        Assert.Equal(
            [("id-number-search", "operator", "all"), ("id-number-search", "area-reviewer", "area:43"), ("id-number-search", "site-reviewer", "site:4301")],
            log);
    }

    private Task<HttpResponseMessage> SearchAsync(string token, string idNumber) =>
        platform.Client.SendAsync(HttpMethod.Post, "Registration", Search, token, JsonContent.Create(new { idNumber }));

    private async Task<string> AnswerAsync(string token, string idNumber)
    {
        using var response = await SearchAsync(token, idNumber);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        json.Remove("traceId");
        return $"{(int)response.StatusCode} {json.ToJsonString()}";
    }

    private static JsonObject JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value, System.Text.Json.JsonSerializerOptions.Web)!.AsObject();

    /// <summary>A valid number of this test's own.</summary>
    private static string NewIdNumber() => TestIdNumbers.New("43");
}
