using System.Net;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

[Collection(DistributedCollection.Name)]
public sealed class BrokerOutageTests(DistributedPlatform platform)
{
    [Fact]
    public async Task Upload_and_submit_succeed_while_rabbitmq_is_down_and_the_flow_completes_once_it_is_back()
    {
        var client = platform.Client;
        var (candidateId, candidate) = await client.NewCandidateAsync();
        var @operator = await client.OperatorTokenAsync();

        // The broker's container stops (Docker API): the broker goes down with it, connections drop, its port refuses.
        await platform.Servers.RabbitMq.StopAsync();
        try
        {
            await client.UploadRequiredAsync(candidateId, candidate);
            await client.SubmitAsync(candidateId, candidate);

            // The five events wait in MaterialStorage's outbox while the broker is away.
            var outbox = await client.GetJsonAsync("MaterialStorage", "/api/v1/materials/ops/outbox", @operator);
            Assert.True(outbox["pending"]!.GetValue<int>() >= 5, outbox.ToJsonString());
            // The uploads were accepted and stored; their checks wait, and operators see how many and for how long.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var backlog = await client.GetJsonAsync("MaterialStorage", "/api/v1/materials/ops/validation", @operator);
            Assert.True(backlog["pending"]!.GetValue<int>() >= 3, backlog.ToJsonString());
            Assert.True(backlog["oldestAgeSeconds"]!.GetValue<double>() >= 1, backlog.ToJsonString());
        }
        finally
        {
            // Same container, same host port, same queues: the services reconnect to the address they were given.
            await platform.Servers.RabbitMq.StartAsync();
        }

        var siteReviewer = await client.SiteReviewerTokenAsync("4301");
        var areaReviewer = await client.AreaReviewerTokenAsync("43");
        var caseId = await client.WaitForCaseAsync(candidateId, siteReviewer, "SiteReview");
        await client.ApproveAsync(caseId, siteReviewer);
        await client.WaitForCaseAsync(candidateId, areaReviewer, "AreaReview");
        await client.ApproveAsync(caseId, areaReviewer);
        await client.WaitForStatusAsync(candidate, "审核通过");

        await Eventually.TrueAsync(async () => (await client.SmsForAsync(candidateId, @operator)).Count == 1, "one SMS");
        await Eventually.TrueAsync(async () =>
        {
            var status = await client.GetJsonAsync("MaterialStorage", "/api/v1/materials/ops/outbox", @operator);
            return status["pending"]!.GetValue<int>() == 0;
        }, "MaterialStorage's outbox to drain");
        // The uploads' validation round trip (MaterialStorage → ImageValidation → MaterialStorage) completes too.
        await Eventually.TrueAsync(async () =>
        {
            var application = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", candidate);
            return application["images"]!.AsArray().All(image => image!["validation"]!.GetValue<string>() == "Passed");
        }, "every uploaded image to be validated");
        await Eventually.TrueAsync(async () =>
        {
            var backlog = await client.GetJsonAsync("MaterialStorage", "/api/v1/materials/ops/validation", @operator);
            return backlog["pending"]!.GetValue<int>() == 0 && backlog["oldestAgeSeconds"] is null;
        }, "the validation backlog to drain");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await client.SmsForAsync(candidateId, @operator));

        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(client.Services["MaterialStorage"], "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
