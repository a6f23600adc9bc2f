using ExamReview.Embedded;
using ExamReview.IntegrationTests.Infrastructure;
using System.Net;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.IntegrationTests.Tests;

[Collection(DistributedCollection.Name)]
public sealed class DistributedSliceTests(DistributedPlatform platform)
{
    [Fact]
    public async Task Slice_runs_across_five_processes_on_postgres_rabbitmq_and_s3_containers()
    {
        var services = AppHostProcess.ServiceNames.ToDictionary(name => name, name => platform.Client.Services[name]);
        Assert.Equal(5, services.Values.Distinct().Count());
        foreach (var (name, url) in services)
        {
            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri(url, "/health"));
            var body = await ready.Content.ReadAsStringAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{name} not ready: {body}");
            Assert.Contains("masstransit", body, StringComparison.OrdinalIgnoreCase);
        }
        await SliceScenario.RunAsync(platform.Client);
    }

    [Fact]
    public async Task Image_validation_works_in_the_bucket_it_shares_with_material_storage_and_copies_follow_their_originals()
    {
        // The bucket both services are configured with (ServiceCatalog), on the run's S3 server container.
        using var bucket = new S3ObjectStore(S3StoreOptions.Parse(platform.ObjectStoreConnection, ServiceCatalog.MaterialsBucket));
        await ReviewerCopyScenario.RunAsync(platform.Client, bucket);
    }
}
