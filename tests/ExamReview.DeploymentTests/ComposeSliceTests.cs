using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using Xunit.Abstractions;

namespace ExamReview.DeploymentTests;

/// <summary>
/// docker-compose.yml run for real: the five services with PostgreSQL, RabbitMQ and the S3 server from the
/// project's images, the review slice driven over HTTP with tokens from the test's identity provider, then down.
/// </summary>
public sealed class ComposeSliceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_compose_deployment_takes_a_candidate_from_registration_to_area_approval()
    {
        var clock = Stopwatch.StartNew();
        var deployment = new ComposeDeployment();
        await using (deployment)
        {
            await deployment.UpAsync();
            output.WriteLine($"compose up: {deployment.UpTime.TotalSeconds:0.0} s, all services ready: {deployment.HealthyTime.TotalSeconds:0.0} s");

            var identityProvider = new IdentityProviderTokens(deployment.SigningKey);
            using var client = new PlatformClient(deployment.Services, identityProvider.Issue);
            try
            {
                await DevelopmentIssuerIsOffAndForeignTokensAreRefusedAsync(client);
                await SliceAsync(client);
            }
            catch (Exception)
            {
                output.WriteLine(await deployment.LogsAsync());
                throw;
            }
            output.WriteLine($"slice done: {clock.Elapsed.TotalSeconds:0.0} s");

            await deployment.DownAsync();
            Assert.Empty(await deployment.VolumesAsync());
        }
        output.WriteLine($"down -v: {clock.Elapsed.TotalSeconds:0.0} s in all");
    }

    private static async Task DevelopmentIssuerIsOffAndForeignTokensAreRefusedAsync(PlatformClient client)
    {
        // Not mapped at all: even a caller with a valid token finds no development issuer.
        var @operator = await client.OperatorTokenAsync();
        using var devTokens = await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/dev/tokens", @operator,
            JsonContent.Create(new { subject = "operator", role = "operator" }));
        Assert.Equal(HttpStatusCode.NotFound, devTokens.StatusCode);

        var stranger = new IdentityProviderTokens(IdentityProviderTokens.NewKey()).Issue(
            System.Text.Json.Nodes.JsonNode.Parse("""{ "subject": "operator", "role": "operator" }""")!.AsObject());
        using var refused = await client.SendAsync(HttpMethod.Get, "Notification", $"/api/v1/notifications/sms?candidateId={Guid.NewGuid()}", stranger);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>
    /// Register → upload the required materials → submit (locked) → site approves → area approves → 审核通过, and
    /// the approval SMS recorded once (compose sets no SMS provider: it is written to the log and counted sent).
    /// </summary>
    private static async Task SliceAsync(PlatformClient client)
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

        var sms = await Eventually.GetAsync(async () =>
        {
            var list = await client.SmsForAsync(candidateId, @operator);
            return list.Count > 0 && list[0]!["status"]!.GetValue<string>() == "Sent" ? list : null;
        }, "the approval SMS");
        Assert.Single(sms);
        Assert.StartsWith("【湖南考区】", sms[0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var approved = await Eventually.GetAsync(async () =>
        {
            var view = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
            return view["state"]!.GetValue<string>() == "Approved" ? view : null;
        }, "the application to be approved in MaterialStorage");
        Assert.All(approved["images"]!.AsArray(), image => Assert.Equal("Approved", image!["review"]!.GetValue<string>()));
    }
}
