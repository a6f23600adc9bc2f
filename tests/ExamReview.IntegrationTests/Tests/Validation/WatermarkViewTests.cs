using System.Net;
using ExamReview.Imaging;
using NetVips;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Validation;

[Collection(EmbeddedCollection.Name)]
public sealed class WatermarkViewTests(EmbeddedPlatform platform)
{
    [Fact]
    public async Task Reviewers_see_only_the_watermarked_copy_and_the_candidate_sees_their_upload()
    {
        var client = platform.Client;
        var (candidateId, candidate) = await client.NewCandidateAsync();
        var original = TestImages.Document();
        var imageId = await client.UploadAsync(candidateId, candidate, "id-card", original);

        var view = await Eventually.GetAsync(async () =>
        {
            var application = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
            var image = application["images"]!.AsArray().Single(i => i!["imageId"]!.GetValue<string>() == imageId.ToString());
            return image!["validation"]!.GetValue<string>() == "Pending" ? null : image;
        }, "the validation verdict");
        Assert.Equal("Passed", view["validation"]!.GetValue<string>());

        var path = $"/api/v1/materials/candidates/{candidateId}/images/{imageId}/content";
        using var own = await client.SendAsync(HttpMethod.Get, "MaterialStorage", path, candidate);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(original, await own.Content.ReadAsByteArrayAsync());

        var reviewer = await client.SiteReviewerTokenAsync("4301");
        using var seen = await client.SendAsync(HttpMethod.Get, "MaterialStorage", path, reviewer);
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        var watermarked = await seen.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(original, watermarked);
        using var decoded = Image.NewFromBuffer(watermarked);
        using var source = Image.NewFromBuffer(original);
        Assert.Equal(source.Width, decoded.Width);
        Assert.Equal(source.Height, decoded.Height);
        // The test's own comment segment (like any metadata) is stripped from the reviewer copy.
        Assert.Null(JpegSegments.ReadComment(watermarked));
    }
}
