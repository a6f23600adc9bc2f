using System.Text;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.IntegrationTests.Tests.Storage;

/// <summary>
/// The services' S3 store against a real S3 server (the collection's s3rver container): what MaterialStorage,
/// ImageValidation and Registration rely on — the SHA-256 recorded with the object, listing by folder, idempotent
/// deletes, a bucket made on first use. Each test works in a bucket of its own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class S3ObjectStoreTests(ServerContainers servers)
{
    private S3ObjectStore NewStore() => new(S3StoreOptions.Parse(servers.S3.ConnectionString(S3Server.NewBucketName("store"))));

    [Fact]
    public async Task An_object_round_trips_with_its_sha256_and_content_type_in_a_bucket_made_on_first_use()
    {
        using var store = NewStore();
        var bytes = Encoding.UTF8.GetBytes("扫描件 bytes");

        var stored = await store.PutAsync("originals/app/one.jpg", bytes, "image/jpeg", CancellationToken.None);
        var read = await store.GetAsync("originals/app/one.jpg", CancellationToken.None);

        Assert.Equal(ObjectKeys.Sha256Hex(bytes), stored.Sha256);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.NotNull(read);
        Assert.Equal(bytes, read.Content);
        Assert.Equal("image/jpeg", read.ContentType);
        Assert.Equal(stored.Sha256, read.Sha256);
    }

    [Fact]
    public async Task A_slice_of_a_larger_buffer_is_stored_exactly_and_a_document_sized_object_reads_back_whole()
    {
        using var store = NewStore();
        var buffer = new byte[300 * 1024];
        Random.Shared.NextBytes(buffer);
        var slice = new ReadOnlyMemory<byte>(buffer, 1000, 200 * 1024); // stored over the caller's array, not a copy

        var stored = await store.PutAsync("originals/app/slice.jpg", slice, "image/jpeg", CancellationToken.None);
        var read = await store.GetAsync("originals/app/slice.jpg", CancellationToken.None);

        Assert.Equal(slice.Length, stored.Length);
        Assert.Equal(ObjectKeys.Sha256Hex(slice.Span), stored.Sha256);
        Assert.NotNull(read);
        Assert.Equal(slice.ToArray(), read.Content); // read into one array of the announced length
        Assert.Equal(ObjectKeys.Sha256Hex(read.Content), read.Sha256);
    }

    [Fact]
    public async Task Listing_sees_one_folder_and_deleting_twice_or_a_missing_key_succeeds()
    {
        using var store = NewStore();
        await store.PutAsync("watermarked/a/1", new byte[] { 1 }, "image/jpeg", CancellationToken.None);
        await store.PutAsync("watermarked/a/2", new byte[] { 2 }, "image/jpeg", CancellationToken.None);
        await store.PutAsync("originals/a/1", new byte[] { 3 }, "image/jpeg", CancellationToken.None);

        Assert.Equal(["watermarked/a/1", "watermarked/a/2"], (await store.ListAsync("watermarked/", CancellationToken.None)).Order());

        await store.DeleteAsync("watermarked/a/1", CancellationToken.None);
        await store.DeleteAsync("watermarked/a/1", CancellationToken.None);
        await store.DeleteAsync("watermarked/nobody/nothing", CancellationToken.None);
        Assert.False(await store.ExistsAsync("watermarked/a/1", CancellationToken.None));
        Assert.Null(await store.GetAsync("watermarked/a/1", CancellationToken.None));
        Assert.True(await store.ExistsAsync("originals/a/1", CancellationToken.None));
    }

    [Fact]
    public async Task Two_buckets_on_one_server_do_not_see_each_other()
    {
        using var mine = NewStore();
        using var theirs = NewStore();
        await mine.PutAsync("originals/x/1", new byte[] { 1 }, "image/jpeg", CancellationToken.None);
        await theirs.PutAsync("originals/y/1", new byte[] { 2 }, "image/jpeg", CancellationToken.None);

        Assert.Equal(["originals/x/1"], await mine.ListAsync("originals/", CancellationToken.None));
        Assert.False(await theirs.ExistsAsync("originals/x/1", CancellationToken.None));
    }
}
