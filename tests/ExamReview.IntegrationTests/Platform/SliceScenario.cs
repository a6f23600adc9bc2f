namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// The thin vertical slice: register → upload → submit (lock) → site approves → area approves →
/// 审核通过 in Registration and exactly one SMS in Notification. Every hop is HTTP or a message.
/// </summary>
public static class SliceScenario
{
    /// <param name="client">The platform's client.</param>
    /// <param name="providerStub">Whether the platform sends SMS to the local provider stub (embedded and Aspire runs do;
    /// the compose deployment configures no provider, so its SMS are only recorded).</param>
    public static async Task RunAsync(PlatformClient client, bool providerStub = true)
    {
        var candidateId = Guid.NewGuid();
        var candidate = await client.CandidateTokenAsync(candidateId);
        var siteReviewer = await client.SiteReviewerTokenAsync("4301");
        var areaReviewer = await client.AreaReviewerTokenAsync("43");
        var @operator = await client.OperatorTokenAsync();

        await client.RegisterAsync(candidate);
        await client.WaitForApplicationAsync(candidateId, candidate);
        await client.UploadRequiredAsync(candidateId, candidate);

        var submitted = await client.SubmitAsync(candidateId, candidate);
        Assert.Equal("上报完成，内容已锁定", submitted["message"]!.GetValue<string>());
        var application = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
        Assert.True(application["locked"]!.GetValue<bool>());

        var caseId = await client.WaitForCaseAsync(candidateId, siteReviewer, "SiteReview");
        await client.ApproveAsync(caseId, siteReviewer);
        await client.WaitForStatusAsync(candidate, "考点通过");

        var areaCase = await client.WaitForCaseAsync(candidateId, areaReviewer, "AreaReview");
        Assert.Equal(caseId, areaCase);
        await client.ApproveAsync(caseId, areaReviewer);
        await client.WaitForStatusAsync(candidate, "审核通过");

        var sms = await Infrastructure.Eventually.GetAsync(async () =>
        {
            var list = await client.SmsForAsync(candidateId, @operator);
            return list.Count > 0 && list[0]!["status"]!.GetValue<string>() == "Sent" ? list : null;
        }, "the approval SMS");
        Assert.Single(sms);
        Assert.StartsWith("【湖南考区】", sms[0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var registration = await client.GetJsonAsync("Registration", "/api/v1/registrations/me", candidate);
        var mobile = registration["mobileNumber"]!.GetValue<string>();
        Assert.Equal(mobile, sms[0]!["mobileNumber"]!.GetValue<string>());

        if (providerStub)
        {
            // It went out through the provider adapter (signed HTTP): the run's local provider stub received it, once.
            var received = Assert.Single(await ReceivedByProviderAsync(client, mobile, @operator));
            Assert.Equal(sms[0]!["outId"]!.GetValue<string>(), received!["outId"]!.GetValue<string>());
        }

        // Approved images are locked for good: ✓ on every image, the application stays locked.
        var approved = await Infrastructure.Eventually.GetAsync(async () =>
        {
            var view = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
            return view["state"]!.GetValue<string>() == "Approved" ? view : null;
        }, "the application to be approved in MaterialStorage");
        Assert.All(approved["images"]!.AsArray(), image => Assert.Equal("Approved", image!["review"]!.GetValue<string>()));

        // Nothing more arrives afterwards: still exactly one SMS.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await client.SmsForAsync(candidateId, @operator));
        if (providerStub)
        {
            Assert.Single(await ReceivedByProviderAsync(client, mobile, @operator));
        }
    }

    private static async Task<System.Text.Json.Nodes.JsonArray> ReceivedByProviderAsync(PlatformClient client, string mobile, string operatorToken) =>
        (await client.GetJsonAsync("SmsProviderStub", $"/sms-stub/_stub/messages?phone={mobile}", operatorToken))["messages"]!.AsArray();
}
