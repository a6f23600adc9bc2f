using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// Uploads racing each other for the last slot, and uploads racing 提交审核, with many parallel requests.
/// Whatever wins, the application never holds more images than allowed, and once submitted its images are
/// exactly the ones the submission announced (no image slipped in after the lock).
/// </summary>
public static class MaterialRaces
{
    private static readonly HashSet<string> RaceLosses = ["material_count_full", "concurrent_change", "application_locked"];

    public static async Task<Guid> LastSlotAsync(MaterialSteps steps, int racers = 12)
    {
        var candidate = await steps.RegisterAsync();
        await steps.UploadOkAsync(candidate, "id-card");
        await steps.UploadOkAsync(candidate, "id-card");

        var responses = await Task.WhenAll(Enumerable.Range(0, racers).Select(_ => steps.UploadAsync(candidate, "id-card", MaterialImages.Document())));
        var winners = await OutcomesAsync(responses);
        Assert.Single(winners);

        var application = await steps.ApplicationAsync(candidate);
        var ids = application["images"]!.AsArray().Where(i => i!["materialType"]!.GetValue<string>() == "id-card").Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Contains(winners[0], ids);
        return Guid.Parse(application["applicationId"]!.GetValue<string>());
    }

    public static async Task UploadsAgainstSubmitAsync(MaterialSteps steps, int rounds = 3, int uploaders = 6)
    {
        var reviewer = await steps.Client.SiteReviewerTokenAsync("4301");
        for (var round = 0; round < rounds; round++)
        {
            var candidate = await steps.RegisterAsync();
            foreach (var type in PlatformClient.PlainCandidateSet)
            {
                await steps.UploadOkAsync(candidate, type);
            }

            // The graduation certificate allows 2: at most one more image can ever fit.
            var uploads = Enumerable.Range(0, uploaders)
                .Select(_ => steps.UploadAsync(candidate, "graduation-certificate", MaterialImages.Document()))
                .ToList();
            var submit = steps.SubmitAsync(candidate);
            var uploadResponses = await Task.WhenAll(uploads);
            using var submitResponse = await submit;
            var uploaded = await OutcomesAsync(uploadResponses);

            var application = await steps.ApplicationAsync(candidate);
            var images = application["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToHashSet();
            Assert.Equal(PlatformClient.PlainCandidateSet.Length + uploaded.Count, images.Count);
            Assert.True(images.Count <= PlatformClient.PlainCandidateSet.Length + 1, $"{images.Count} images exceed the catalog's maximum");
            Assert.All(uploaded, id => Assert.Contains(id, images));

            if (submitResponse.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(application["locked"]!.GetValue<bool>());
                // The submission announced its image set; nothing was added to or removed from it afterwards.
                var caseId = await steps.WaitForCaseAsync(candidate.Id, reviewer);
                var reviewCase = await steps.Client.GetJsonAsync("ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}", reviewer);
                var submitted = reviewCase["imageIds"]!.AsArray().Select(i => Guid.Parse(i!.GetValue<string>())).ToHashSet();
                Assert.True(submitted.SetEquals(images), $"submitted {submitted.Count} images, application holds {images.Count}");
                using var late = await steps.UploadAsync(candidate, "registration-notice", MaterialImages.Document());
                Assert.Equal("application_locked", await MaterialSteps.CodeAsync(late, HttpStatusCode.Conflict));
            }
            else
            {
                // Submit lost to an upload: a conflict, never a half-done submission.
                var code = (await PlatformClient.ProblemAsync(submitResponse, HttpStatusCode.Conflict))["code"]!.GetValue<string>();
                Assert.Equal("concurrent_change", code);
                Assert.False(application["locked"]!.GetValue<bool>());
            }
        }
    }

    /// <summary>
    /// A candidate's browser sends all five files at once (several material types, several slots of one), then
    /// replaces all five at once, then deletes them all at once: every write that fits is stored, whichever commits first; nothing is refused for
    /// having raced the others.
    /// </summary>
    public static async Task ParallelUploadsOfOneCandidateAsync(MaterialSteps steps)
    {
        var candidate = await steps.RegisterAsync();
        var types = PlatformClient.PlainCandidateSet;
        await AllAsync(types.Select(type => steps.UploadAsync(candidate, type, MaterialImages.Document())), HttpStatusCode.Created);
        var application = await steps.ApplicationAsync(candidate);
        Assert.Equal(types.Order(), application["images"]!.AsArray().Select(i => i!["materialType"]!.GetValue<string>()).Order());
        Assert.All(application["checklist"]!.AsArray().Where(i => i!["requirement"]!.GetValue<string>() == "required"),
            item => Assert.Equal(0, item!["missing"]!.GetValue<int>()));

        // Then every image is replaced at once: each replacement lands in its own image's slot.
        var before = application["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();
        await AllAsync(before.Select(id => steps.ReplaceAsync(candidate, id, MaterialImages.Document())), HttpStatusCode.OK);
        var after = await steps.ApplicationAsync(candidate);
        Assert.Equal(types.Order(), after["images"]!.AsArray().Select(i => i!["materialType"]!.GetValue<string>()).Order());
        var replacements = after["images"]!.AsArray().Select(i => Guid.Parse(i!["imageId"]!.GetValue<string>())).ToList();
        Assert.Empty(replacements.Intersect(before));

        // And deleted all at once: the application is empty again.
        await AllAsync(replacements.Select(id => steps.DeleteAsync(candidate, id)), HttpStatusCode.NoContent);
        Assert.Empty((await steps.ApplicationAsync(candidate))["images"]!.AsArray());
    }

    /// <summary>Sends the requests at once and asserts that every one answered <paramref name="expected"/>.</summary>
    private static async Task AllAsync(IEnumerable<Task<HttpResponseMessage>> requests, HttpStatusCode expected)
    {
        var responses = await Task.WhenAll(requests);
        try
        {
            foreach (var response in responses)
            {
                await PlatformClient.EnsureAsync(response, expected);
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    /// <summary>Every response is a 201 or a clean 409 race loss; returns the ids of the images that were stored.</summary>
    private static async Task<List<Guid>> OutcomesAsync(HttpResponseMessage[] responses)
    {
        var stored = new List<Guid>();
        try
        {
            foreach (var response in responses)
            {
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    stored.Add(Guid.Parse((await response.Content.ReadFromJsonAsync<JsonNode>())!["imageId"]!.GetValue<string>()));
                    continue;
                }
                var code = (await PlatformClient.ProblemAsync(response, HttpStatusCode.Conflict))["code"]!.GetValue<string>();
                Assert.Contains(code, RaceLosses);
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        return stored;
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedRaceTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    [Fact]
    public async Task Uploads_racing_for_the_last_slot_store_exactly_one_image_on_sqlite()
    {
        var applicationId = await MaterialRaces.LastSlotAsync(_steps);
        // Every loser removed its object again: the application's folder holds exactly its three originals.
        var folder = Path.Combine(platform.ObjectsDirectory, "originals", applicationId.ToString("N"));
        Assert.Equal(3, Directory.GetFiles(folder).Count(f => !f.EndsWith(".meta", StringComparison.Ordinal) && !f.Contains(".tmp", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Uploads_racing_submit_never_change_a_locked_application_on_sqlite() =>
        await MaterialRaces.UploadsAgainstSubmitAsync(_steps);

    [Fact]
    public async Task A_candidates_parallel_uploads_and_replacements_all_land_on_sqlite() =>
        await MaterialRaces.ParallelUploadsOfOneCandidateAsync(_steps);
}

[Collection(DistributedCollection.Name)]
public sealed class DistributedRaceTests(DistributedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    [Fact]
    public async Task Uploads_racing_for_the_last_slot_store_exactly_one_image_on_postgres() =>
        _ = await MaterialRaces.LastSlotAsync(_steps, racers: 16);

    [Fact]
    public async Task Uploads_racing_submit_never_change_a_locked_application_on_postgres() =>
        await MaterialRaces.UploadsAgainstSubmitAsync(_steps, rounds: 4, uploaders: 8);

    [Fact]
    public async Task A_candidates_parallel_uploads_and_replacements_all_land_on_postgres() =>
        await MaterialRaces.ParallelUploadsOfOneCandidateAsync(_steps);
}
