using System.Net;
using System.Text;
using ExamReview.Contracts;
using ExamReview.Imaging;
using NetVips;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.PassMarks;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.IntegrationTests.Tests.Validation;

[Collection(EmbeddedCollection.Name)]
public sealed class WatermarkViewTests(EmbeddedPlatform platform)
{
    [Fact]
    public async Task The_candidate_and_reviewers_see_the_same_watermarked_copy_and_nobody_gets_the_original()
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

        // 图片中显示水印，表示提交成功: the candidate's own view of the upload is the watermarked copy.
        var path = $"/api/v1/materials/candidates/{candidateId}/images/{imageId}/content";
        using var own = await client.SendAsync(HttpMethod.Get, "MaterialStorage", path, candidate);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var watermarked = await own.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(original, watermarked);

        var reviewer = await client.SiteReviewerTokenAsync("4301");
        using var seen = await client.SendAsync(HttpMethod.Get, "MaterialStorage", path, reviewer);
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Equal(watermarked, await seen.Content.ReadAsByteArrayAsync());

        // A provincial system reads its own area's copies (the same watermarked bytes), and another province's answer is
        // exactly a missing candidate's: it cannot even tell the image exists.
        var hunan = await client.TokenAsync(new { subject = "hunan-sync", role = "province", area = "43" });
        using (var provincial = await client.SendAsync(HttpMethod.Get, "MaterialStorage", path, hunan))
        {
            Assert.Equal(HttpStatusCode.OK, provincial.StatusCode);
            Assert.Equal(watermarked, await provincial.Content.ReadAsByteArrayAsync());
        }
        var guangdong = await client.TokenAsync(new { subject = "guangdong-sync", role = "province", area = "44" });
        using (var otherArea = await client.SendAsync(HttpMethod.Get, "MaterialStorage", path, guangdong))
        using (var missing = await client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{Guid.NewGuid()}/images/{imageId}/content", guangdong))
        {
            var refused = await PlatformClient.ProblemAsync(otherArea, HttpStatusCode.NotFound);
            var absent = await PlatformClient.ProblemAsync(missing, HttpStatusCode.NotFound);
            Assert.Equal(absent["code"]!.GetValue<string>(), refused["code"]!.GetValue<string>());
            Assert.Equal(absent["detail"]!.GetValue<string>(), refused["detail"]!.GetValue<string>());
        }

        using var decoded = Image.NewFromBuffer(watermarked);
        using var source = Image.NewFromBuffer(original);
        Assert.Equal(source.Width, decoded.Width);
        Assert.Equal(source.Height, decoded.Height);
        // The test's own comment segment (like any metadata) is stripped from the reviewer copy.
        Assert.Null(JpegSegments.ReadComment(watermarked));

        // The service-to-service route that handed out originals is gone, for every caller.
        var service = await client.OperatorTokenAsync(); // the development issuer mints no service credentials
        using var internalOriginal = await client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/internal/images/{imageId}/original", service);
        Assert.Equal(HttpStatusCode.NotFound, internalOriginal.StatusCode);
    }

    [Fact]
    public async Task Copies_follow_their_originals_through_upload_replacement_and_deletion()
    {
        // The embedded run keeps every service's objects in one directory: the materials "bucket" is that store.
        await ReviewerCopyScenario.RunAsync(platform.Client, new FileSystemObjectStore(platform.ObjectsDirectory));
    }

    [Fact]
    public async Task An_upload_that_cannot_be_decoded_has_no_copy_to_show_and_deleting_it_leaves_nothing()
    {
        var client = platform.Client;
        var (candidateId, candidate) = await client.NewCandidateAsync();
        // JPEG by its first bytes (so MaterialStorage stores it), but nothing a decoder can read.
        byte[] broken = [0xFF, 0xD8, 0xFF, .. Encoding.ASCII.GetBytes("not really a scan " + Guid.NewGuid())];
        var imageId = await client.UploadAsync(candidateId, candidate, "id-card", broken);
        var application = await Eventually.GetAsync(async () =>
        {
            var view = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
            return view["images"]!.AsArray().Single()!["validation"]!.GetValue<string>() == "Failed" ? view : null;
        }, "the verdict on the broken upload");
        var applicationId = Guid.Parse(application["applicationId"]!.GetValue<string>());

        using (var content = await client.SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{imageId}/content", candidate))
        {
            Assert.Equal("copy_unavailable", (await PlatformClient.ProblemAsync(content, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
        var bucket = new FileSystemObjectStore(platform.ObjectsDirectory);
        Assert.Equal([MaterialObjects.OriginalKey(applicationId, imageId)], await bucket.ListAsync($"originals/{applicationId:N}/", CancellationToken.None));
        Assert.Empty(await bucket.ListAsync($"watermarked/{applicationId:N}/", CancellationToken.None));

        using (var deleted = await client.SendAsync(HttpMethod.Delete, "MaterialStorage", $"/api/v1/materials/candidates/{candidateId}/images/{imageId}", candidate))
        {
            await PlatformClient.EnsureAsync(deleted, HttpStatusCode.NoContent);
        }
        Assert.Empty(await bucket.ListAsync($"originals/{applicationId:N}/", CancellationToken.None));
    }
}
