using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedSliceTests(EmbeddedPlatform platform)
{
    [Fact]
    public async Task Embedded_default_runs_the_whole_slice_in_one_process()
    {
        // One process, one URL for every service: the embedded default needs no external server.
        Assert.Single(platform.Client.Services.Values.Distinct());
        await SliceScenario.RunAsync(platform.Client);
    }
}
