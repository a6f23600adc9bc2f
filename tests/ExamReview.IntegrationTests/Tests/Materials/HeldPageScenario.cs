using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// A candidate page held open (Prefer: wait) answers as soon as something on it changes: an upload from another tab,
/// then the check's verdict. Only a wake-up can answer 200 here; a wait that heard nothing ends in 304 after 25 s.
/// Run on SQLite (the saving context signals) and on PostgreSQL (the triggers NOTIFY the host's listener).
/// </summary>
public static class HeldPageScenario
{
    private sealed record Page(HttpStatusCode Status, EntityTagHeaderValue? ETag, JsonNode? Body, string? PreferenceApplied);

    public static async Task RunAsync(PlatformClient client)
    {
        var steps = new MaterialSteps(client);
        var candidate = await steps.RegisterAsync();
        var first = await GetAsync(client, candidate, known: null);
        Assert.Equal(HttpStatusCode.OK, first.Status); // nothing held: no wait
        Assert.Null(first.PreferenceApplied);

        var held = GetAsync(client, candidate, first.ETag);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var imageId = await steps.UploadOkAsync(candidate, "id-card");
        var answered = await held;

        Assert.True(answered.Status == HttpStatusCode.OK, $"the upload did not answer the held page ({(int)answered.Status})");
        Assert.NotEqual(first.ETag, answered.ETag);
        Assert.Contains(answered.Body!["images"]!.AsArray(), i => i!["imageId"]!.GetValue<string>() == imageId.ToString());

        // Held again until the check is in: the verdict, committed by the check's consumer, answers it.
        var page = answered;
        while (page.Body!["images"]!.AsArray().Any(i => i!["validation"]!.GetValue<string>() == "Pending"))
        {
            var next = await GetAsync(client, candidate, page.ETag);
            Assert.True(next.Status == HttpStatusCode.OK, $"the check's verdict did not answer the held page ({(int)next.Status})");
            page = next;
        }
        Assert.Equal("Passed", page.Body!["images"]!.AsArray().Single()!["validation"]!.GetValue<string>());
    }

    private static async Task<Page> GetAsync(PlatformClient client, Candidate candidate, EntityTagHeaderValue? known)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, client.Url(MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", candidate.Token);
        request.Headers.Add("Prefer", "wait=25");
        if (known is not null)
        {
            request.Headers.IfNoneMatch.Add(known);
        }
        using var response = await client.SendAsync(request);
        var body = response.StatusCode == HttpStatusCode.NotModified ? null : await response.Content.ReadFromJsonAsync<JsonNode>();
        var applied = response.Headers.TryGetValues("Preference-Applied", out var values) ? string.Join(',', values) : null;
        return new Page(response.StatusCode, response.Headers.ETag, body, applied);
    }
}

[Collection(DistributedCollection.Name)]
public sealed class DistributedHeldPageTests(DistributedPlatform platform)
{
    [Fact]
    public async Task A_held_page_answers_as_soon_as_something_on_it_changes_on_postgres() => await HeldPageScenario.RunAsync(platform.Client);
}
