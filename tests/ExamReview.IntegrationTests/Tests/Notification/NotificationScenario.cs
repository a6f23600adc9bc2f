using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>Steps the Notification tests share: a candidate with their own mobile number taken to approval, and the SMS provider stub.</summary>
public static class NotificationScenario
{
    public const string StubPrefix = "/sms-stub";

    public static string NewMobile() => "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>Registers a candidate of area 43 with the given mobile number, uploads and submits; returns the site-level case.</summary>
    public static async Task<Guid> SubmitAsync(PlatformClient client, Guid candidateId, string candidateToken, string mobile)
    {
        using (var response = await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", candidateToken,
            JsonContent.Create(PlatformClient.RegistrationBody(mobile: mobile))))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.Created);
        }
        await client.WaitForApplicationAsync(candidateId, candidateToken);
        await client.UploadRequiredAsync(candidateId, candidateToken);
        await client.SubmitAsync(candidateId, candidateToken);
        return await client.WaitForCaseAsync(candidateId, await client.SiteReviewerTokenAsync("4301"), "SiteReview");
    }

    /// <summary>Takes the candidate's application to 审核通过 (site, then area approval).</summary>
    public static async Task ApproveAsync(PlatformClient client, Guid candidateId, string candidateToken, string mobile)
    {
        var caseId = await SubmitAsync(client, candidateId, candidateToken, mobile);
        var siteReviewer = await client.SiteReviewerTokenAsync("4301");
        var areaReviewer = await client.AreaReviewerTokenAsync("43");
        await DecideAsync(client, caseId, siteReviewer, "approve-all", null);
        await client.WaitForCaseAsync(candidateId, areaReviewer, "AreaReview");
        await DecideAsync(client, caseId, areaReviewer, "approve-all", null);
        await client.WaitForStatusAsync(candidateToken, "审核通过");
    }

    /// <summary>The site reviewer returns the application with feedback (the event behind the seeds' SMS).</summary>
    public static async Task ReturnAsync(PlatformClient client, Guid candidateId, string candidateToken, string mobile, string feedback)
    {
        var caseId = await SubmitAsync(client, candidateId, candidateToken, mobile);
        await DecideAsync(client, caseId, await client.SiteReviewerTokenAsync("4301"), "return", new { feedback, imageIds = Array.Empty<Guid>() });
    }

    /// <summary>Claims the case for the reviewer, then decides.</summary>
    private static async Task DecideAsync(PlatformClient client, Guid caseId, string reviewerToken, string decision, object? body)
    {
        using (var claim = await client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/claim", reviewerToken))
        {
            await PlatformClient.EnsureAsync(claim, HttpStatusCode.OK);
        }
        // An approval tries again while an image's verdict has not reached ReviewWorkflow (409 image_check_pending).
        using var response = await PlatformClient.WhenCheckedAsync(() => client.SendAsync(HttpMethod.Post, "ReviewWorkflow", $"/api/v1/reviews/cases/{caseId}/{decision}", reviewerToken,
            body is null ? null : JsonContent.Create(body)));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
    }

    /// <summary>What the provider stub received for one number.</summary>
    public static async Task<JsonArray> StubMessagesAsync(PlatformClient client, string operatorToken, string mobile) =>
        (await client.GetJsonAsync("SmsProviderStub", $"{StubPrefix}/_stub/messages?phone={mobile}", operatorToken))["messages"]!.AsArray();

    public static async Task SetStubBehaviourAsync(PlatformClient client, string operatorToken, object behaviour)
    {
        using var response = await client.SendAsync(HttpMethod.Put, "SmsProviderStub", $"{StubPrefix}/_stub/behaviour", operatorToken, JsonContent.Create(behaviour));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
    }

    public static Task<JsonNode> WaitForSmsAsync(PlatformClient client, Guid candidateId, string operatorToken, Func<JsonNode, bool> condition, string what) =>
        Eventually.GetAsync(async () =>
        {
            var list = await client.SmsForAsync(candidateId, operatorToken);
            return list.Count == 1 && condition(list[0]!) ? list[0] : null;
        }, what);
}
