using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Notification;

[Collection(EmbeddedCollection.Name)]
public sealed class NewAreaSenderTests(EmbeddedPlatform platform)
{
    [Fact]
    public async Task An_area_created_by_an_operator_signs_its_candidates_sms_with_its_name()
    {
        var client = platform.Client;
        var @operator = await client.OperatorTokenAsync();
        var area = "N" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var site = area + "S1";
        using (var created = await client.SendAsync(HttpMethod.Put, "Registration", $"/api/v1/registrations/areas/{area}", @operator, JsonContent.Create(new { name = $"新建考区{area}" })))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.OK);
        }
        using (var created = await client.SendAsync(HttpMethod.Put, "Registration", $"/api/v1/registrations/areas/{area}/sites/{site}", @operator, JsonContent.Create(new { name = "新建考点" })))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.OK);
        }

        var (candidateId, candidate) = await client.NewCandidateAsync(area, site);
        await client.UploadRequiredAsync(candidateId, candidate);
        await client.SubmitAsync(candidateId, candidate);
        var siteReviewer = await client.SiteReviewerTokenAsync(site);
        var caseId = await client.WaitForCaseAsync(candidateId, siteReviewer, "SiteReview");
        using (var claim = await client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/claim", siteReviewer))
        {
            await PlatformClient.EnsureAsync(claim, HttpStatusCode.OK);
        }
        using (var returned = await client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/return", siteReviewer,
            JsonContent.Create(new { feedback = "请补充毕业证书反面", imageIds = Array.Empty<Guid>() })))
        {
            await PlatformClient.EnsureAsync(returned, HttpStatusCode.OK);
        }

        var sms = await Eventually.GetAsync(async () =>
        {
            var list = await client.SmsForAsync(candidateId, @operator);
            return list.Count > 0 ? list : null;
        }, "the return notice");
        Assert.StartsWith($"【新建考区{area}】您的医师资格考试报名材料照片，有新的审核通知", Assert.Single(sms)!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
