using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// A candidate uploads a graduation certificate, then finds they are a Hunan repeat candidate of 2017–2020 (seeds/004:
/// the reduced set, no certificate). Over HTTP on the embedded run: the certificate cannot be replaced (and no bytes of
/// the refused replacement stay stored), 提交审核 is refused naming it, and once deleted the application submits.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class NotApplicableImagesHttpTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    [Fact]
    public async Task An_image_whose_type_stopped_applying_is_deleted_not_replaced_or_submitted()
    {
        var candidate = await _steps.RegisterAsync();
        var certificate = await _steps.UploadOkAsync(candidate, "graduation-certificate");
        using (var update = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Registration, "/api/v1/registrations/me/profile", candidate.Token,
            JsonContent.Create(new { repeatCandidate = true, previousExamYear = 2019, previousExamArea = "43" })))
        {
            await PlatformClient.EnsureAsync(update, HttpStatusCode.OK);
        }
        await Eventually.TrueAsync(async () =>
            MaterialSteps.ChecklistItem(await _steps.ApplicationAsync(candidate), "graduation-certificate")["requirement"]!.GetValue<string>() == "not-applicable",
            "the graduation certificate to stop applying");
        foreach (var (type, count) in new[] { ("id-card", 3), ("trial-period-certificate", 1), ("registration-notice", 1), ("previous-admission-ticket", 1) })
        {
            for (var i = 0; i < count; i++)
            {
                await _steps.UploadOkAsync(candidate, type);
            }
        }

        using (var replaced = await _steps.ReplaceAsync(candidate, certificate, MaterialImages.Document()))
        {
            var problem = await PlatformClient.ProblemAsync(replaced, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("material_not_applicable", problem["code"]!.GetValue<string>());
            Assert.Contains("删除", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var application = await _steps.ApplicationAsync(candidate);
        Assert.Equal(7, application["images"]!.AsArray().Count); // the certificate is still there, nothing was added
        Assert.Contains(application["images"]!.AsArray(), i => i!["imageId"]!.GetValue<Guid>() == certificate);

        using (var submitted = await _steps.SubmitAsync(candidate))
        {
            var problem = await PlatformClient.ProblemAsync(submitted, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("images_not_applicable", problem["code"]!.GetValue<string>());
            Assert.Equal([certificate], problem["imageIds"]!.AsArray().Select(i => i!.GetValue<Guid>()));
            Assert.Contains("毕业证书", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var deleted = await _steps.DeleteAsync(candidate, certificate))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using var accepted = await _steps.SubmitAsync(candidate);
        await PlatformClient.EnsureAsync(accepted, HttpStatusCode.OK);
    }
}
