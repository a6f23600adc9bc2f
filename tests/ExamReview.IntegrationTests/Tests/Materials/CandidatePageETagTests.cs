using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Review;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// The candidate's page revalidates: 304 while nothing it shows changed, a new ETag and the new page after every
/// change (upload, verdict, area settings, submit), and never a 304 for somebody who may not read it. Held open
/// (Prefer: wait), it answers as soon as something on it changes, 304 when the wait ends with nothing new, and makes
/// nobody else wait.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class CandidatePageETagTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);
    private readonly ReviewSteps _review = new(platform.Client);

    private sealed record Page(HttpStatusCode Status, EntityTagHeaderValue? ETag, JsonNode? Body, string? PreferenceApplied = null, bool NoStore = false);

    private async Task<Page> GetAsync(Candidate candidate, EntityTagHeaderValue? known, string? token = null, int? waitSeconds = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.Client.Url(MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? candidate.Token);
        if (known is not null)
        {
            request.Headers.IfNoneMatch.Add(known);
        }
        if (waitSeconds is { } wait)
        {
            request.Headers.Add("Prefer", $"wait={wait}");
        }
        using var response = await platform.Client.SendAsync(request);
        var body = response.StatusCode == HttpStatusCode.NotModified ? null : await response.Content.ReadFromJsonAsync<JsonNode>();
        var applied = response.Headers.TryGetValues("Preference-Applied", out var values) ? string.Join(',', values) : null;
        return new Page(response.StatusCode, response.Headers.ETag, body, applied, response.Headers.CacheControl?.NoStore == true);
    }

    /// <summary>Asks with the ETag of <paramref name="before"/> and expects a new page.</summary>
    private async Task<Page> ChangedAsync(Candidate candidate, Page before, string change)
    {
        var after = await GetAsync(candidate, before.ETag);
        Assert.True(after.Status == HttpStatusCode.OK, $"after {change} the page answered {(int)after.Status}, not 200 with the new page");
        Assert.NotNull(after.ETag);
        Assert.NotEqual(before.ETag, after.ETag);
        return after;
    }

    [Fact]
    public async Task The_page_answers_304_until_something_on_it_changes()
    {
        var (area, site) = await _steps.NewAreaAsync();
        var candidate = await _steps.RegisterAsync(area, site);

        var first = await GetAsync(candidate, known: null);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.ETag);
        Assert.False(first.ETag!.IsWeak);
        // Personal data: no copy in a browser's disk cache; the caller keeps the ETag and revalidates itself.
        Assert.True(first.NoStore, "the candidate's page may be stored by the browser");

        var again = await GetAsync(candidate, first.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Equal(first.ETag, again.ETag);

        // An upload: the new image is on the new page.
        var imageId = await _steps.UploadOkAsync(candidate, "id-card");
        var uploaded = await ChangedAsync(candidate, first, "an upload");
        Assert.Contains(uploaded.Body!["images"]!.AsArray(), i => i!["imageId"]!.GetValue<string>() == imageId.ToString());

        // The verdict: whichever page the browser holds once the check is done, revalidating it shows the verdict.
        await _review.WaitForChecksAsync(candidate.Id, candidate.Token);
        var checkedPage = await GetAsync(candidate, uploaded.ETag);
        var shown = checkedPage.Status == HttpStatusCode.NotModified ? uploaded : checkedPage;
        var image = shown.Body!["images"]!.AsArray().Single(i => i!["imageId"]!.GetValue<string>() == imageId.ToString())!;
        Assert.Equal("Passed", image["validation"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(candidate, shown.ETag)).Status);

        // An operator's change to the area's settings is on the page too.
        await _steps.PutSettingsAsync(area, "continuous");
        var settings = await ChangedAsync(candidate, shown, "the area's settings changed");
        Assert.Equal("Continuous", settings.Body!["submissionMode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submitting_changes_the_page_and_a_stranger_with_the_etag_gets_no_304()
    {
        var candidate = await _steps.RegisterAsync();
        foreach (var type in PlatformClient.PlainCandidateSet)
        {
            await _steps.UploadOkAsync(candidate, type);
        }
        await _review.WaitForChecksAsync(candidate.Id, candidate.Token);
        var before = await GetAsync(candidate, known: null);

        using (var submit = await _steps.SubmitAsync(candidate))
        {
            await PlatformClient.EnsureAsync(submit, HttpStatusCode.OK);
        }
        var submitted = await ChangedAsync(candidate, before, "submitting");
        Assert.True(submitted.Body!["locked"]!.GetValue<bool>());

        var stranger = await _steps.RegisterAsync();
        var refused = await GetAsync(candidate, submitted.ETag, token: stranger.Token);
        Assert.NotEqual(HttpStatusCode.NotModified, refused.Status);
        Assert.Equal("application/problem+json", (await ProblemTypeAsync(candidate, submitted.ETag!, stranger.Token)));
    }

    [Fact]
    public async Task A_held_page_answers_as_soon_as_something_on_it_changes() => await HeldPageScenario.RunAsync(platform.Client);

    [Fact]
    public async Task A_held_page_with_nothing_new_answers_304_when_the_wait_ends()
    {
        var candidate = await _steps.RegisterAsync();
        var first = await GetAsync(candidate, known: null);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var unchanged = await GetAsync(candidate, first.ETag, waitSeconds: 2);

        Assert.Equal(HttpStatusCode.NotModified, unchanged.Status);
        Assert.Equal(first.ETag, unchanged.ETag);
        Assert.Equal("wait=2", unchanged.PreferenceApplied);
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1.9), $"answered after {started.Elapsed}, before the wait it was asked for");
    }

    [Fact]
    public async Task Nobody_who_may_not_read_the_page_is_kept_waiting()
    {
        var candidate = await _steps.RegisterAsync();
        var page = await GetAsync(candidate, known: null);
        var stranger = await _steps.RegisterAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var refused = await GetAsync(candidate, page.ETag, token: stranger.Token, waitSeconds: 25);

        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Null(refused.PreferenceApplied);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"the refusal took {started.Elapsed}: the stranger was held for the wait");
    }

    private async Task<string?> ProblemTypeAsync(Candidate candidate, EntityTagHeaderValue etag, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.Client.Url(MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.IfNoneMatch.Add(etag);
        using var response = await platform.Client.SendAsync(request);
        Assert.Null(response.Headers.ETag);
        return response.Content.Headers.ContentType?.MediaType;
    }
}
