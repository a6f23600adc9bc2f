using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// The AppHost's other infrastructure path, end to end through Aspire's test host: PostgreSQL, RabbitMQ and the S3
/// server as containers (<c>AddPostgres</c>, <c>AddRabbitMQ</c>, an S3 container) from the project's own images
/// (scripts/images.sh; no registry is reachable here), the five services as processes, the whole slice over HTTP.
/// </summary>
public sealed class AspireContainersTests
{
    [Fact]
    public async Task The_apphost_runs_the_platform_on_containers_and_the_slice_completes()
    {
        await using var platform = await AspirePlatform.StartAsync(["--Infrastructure=containers", "--Images=local", "--Auth:DevTokens:Enabled=true"]);
        await SliceScenario.RunAsync(platform.Client);
    }
}
