using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using Xunit.Abstractions;

namespace ExamReview.DeploymentTests;

/// <summary>
/// docker-compose.yml run for real: the five services with PostgreSQL, RabbitMQ and the S3 server from the
/// project's images, the review slice driven over HTTP with tokens from the test's identity provider, an upload carrying
/// the EICAR test string caught by the compose file's clamd, the console and the API through the gateway, then down.
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
                // The same slice as the embedded and Aspire runs; compose configures no SMS provider, so SMS are only recorded.
                await SliceScenario.RunAsync(client, providerStub: false);
                // The compose file's clamd scans every upload: the EICAR test file gets a finding and is never shown.
                await MalwareScenario.RunAsync(client);
                // The gateway: the console at /console/ and the API proxied, on one origin.
                await GatewayScenario.RunAsync(deployment.Gateway, client);
                // Data at rest is sealed under the keys the deployment gave, not under keys derived from the token key.
                var started = await deployment.FullLogsAsync("registration", "notification");
                Assert.Contains("Database for RegistrationDbContext is migrated", started, StringComparison.Ordinal);
                Assert.DoesNotContain("the keys are derived from Auth:SigningKeys", started, StringComparison.Ordinal);
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
}
