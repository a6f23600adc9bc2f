using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// Claim check, seen from the bucket: an upload leaves its original and, once judged, the watermarked copy
/// ImageValidation wrote next to it; the candidate and reviewers are served that copy, never the original; a
/// replacement and a deletion take the copy with the original. <paramref name="bucket"/> is the materials bucket
/// as the run stores it (the embedded run's directory, or the S3 bucket MaterialStorage and ImageValidation share).
/// </summary>
public static class ReviewerCopyScenario
{
    public static async Task RunAsync(PlatformClient client, IObjectStore bucket)
    {
        var (candidateId, candidate) = await client.NewCandidateAsync();
        var reviewer = await client.SiteReviewerTokenAsync("4301");
        var first = await client.UploadAsync(candidateId, candidate, "id-card", TestImages.Document());
        var second = await client.UploadAsync(candidateId, candidate, "id-card", TestImages.Document());
        var applicationId = await ValidatedAsync(client, candidateId, candidate, first, second);
        Assert.Equal(Keys(applicationId, first, second), await ListAsync(bucket, applicationId));

        // Everyone sees the copy ImageValidation wrote, byte for byte; nobody gets the original.
        var copy = (await bucket.GetAsync(MaterialObjects.ReviewerCopyKey(applicationId, first), CancellationToken.None))!;
        var original = (await bucket.GetAsync(MaterialObjects.OriginalKey(applicationId, first), CancellationToken.None))!;
        Assert.Equal("image/jpeg", copy.ContentType);
        Assert.NotEqual(original.Content, copy.Content);
        foreach (var token in new[] { candidate, reviewer })
        {
            Assert.Equal(copy.Content, await ContentAsync(client, candidateId, first, token));
        }

        var replacement = await ReplaceAsync(client, candidateId, candidate, first);
        await ValidatedAsync(client, candidateId, candidate, replacement, second);
        Assert.Equal(Keys(applicationId, replacement, second), await ListAsync(bucket, applicationId));

        using (var deleted = await client.SendAsync(HttpMethod.Delete, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{second}", candidate))
        {
            await PlatformClient.EnsureAsync(deleted, HttpStatusCode.NoContent);
        }
        Assert.Equal(Keys(applicationId, replacement), await ListAsync(bucket, applicationId));
    }

    /// <summary>The application's objects: originals and reviewer copies, in the order a listing returns them.</summary>
    private static List<string> Keys(Guid applicationId, params Guid[] images) =>
        images.Select(i => MaterialObjects.OriginalKey(applicationId, i))
            .Concat(images.Select(i => MaterialObjects.ReviewerCopyKey(applicationId, i)))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<List<string>> ListAsync(IObjectStore bucket, Guid applicationId) =>
    [
        .. await bucket.ListAsync($"{MaterialObjects.OriginalsPrefix}{applicationId:N}/", CancellationToken.None),
        .. await bucket.ListAsync($"{MaterialObjects.ReviewerCopiesPrefix}{applicationId:N}/", CancellationToken.None),
    ];

    /// <summary>Waits until every named image has its verdict (and so its copy) and returns the application id.</summary>
    private static async Task<Guid> ValidatedAsync(PlatformClient client, Guid candidateId, string token, params Guid[] images)
    {
        var view = await Eventually.GetAsync(async () =>
        {
            var application = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
            var judged = application["images"]!.AsArray()
                .Where(i => images.Contains(Guid.Parse(i!["imageId"]!.GetValue<string>())))
                .All(i => i!["validation"]!.GetValue<string>() == "Passed");
            return judged ? application : null;
        }, "the verdicts on the uploaded images");
        return Guid.Parse(view["applicationId"]!.GetValue<string>());
    }

    private static async Task<byte[]> ContentAsync(PlatformClient client, Guid candidateId, Guid imageId, string token)
    {
        using var response = await client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{imageId}/content", token);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<Guid> ReplaceAsync(PlatformClient client, Guid candidateId, string token, Guid imageId)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestImages.Document());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "rescan.jpg");
        using var response = await client.SendAsync(HttpMethod.Put, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{imageId}", token, form);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        return Guid.Parse(body!["imageId"]!.GetValue<string>());
    }
}
