using System.Text;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.UnitTests;

public sealed class FileSystemObjectStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "examreview-store-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Put_get_delete_round_trip_records_the_sha256()
    {
        var store = new FileSystemObjectStore(_root);
        var bytes = Encoding.UTF8.GetBytes("image bytes");
        var stored = await store.PutAsync("originals/a/b", bytes, "image/jpeg", CancellationToken.None);
        Assert.Equal(ObjectKeys.Sha256Hex(bytes), stored.Sha256);
        Assert.Equal(bytes.Length, stored.Length);

        var content = await store.GetAsync("originals/a/b", CancellationToken.None);
        Assert.NotNull(content);
        Assert.Equal(bytes, content.Content);
        Assert.Equal("image/jpeg", content.ContentType);
        Assert.Equal(stored.Sha256, content.Sha256);

        await store.DeleteAsync("originals/a/b", CancellationToken.None);
        Assert.False(await store.ExistsAsync("originals/a/b", CancellationToken.None));
        Assert.Null(await store.GetAsync("originals/a/b", CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_missing_object_succeeds_even_in_a_missing_folder()
    {
        var store = new FileSystemObjectStore(_root);
        await store.DeleteAsync("watermarked/nobody/nothing", CancellationToken.None);
        await store.PutAsync("watermarked/a/1", new byte[] { 1 }, "image/jpeg", CancellationToken.None);
        await store.DeleteAsync("watermarked/a/2", CancellationToken.None);
        Assert.Equal(["watermarked/a/1"], await store.ListAsync("watermarked/", CancellationToken.None));
    }

    [Fact]
    public async Task No_temporary_file_is_left_and_nothing_partial_is_visible()
    {
        var store = new FileSystemObjectStore(_root);
        await store.PutAsync("k/1", new byte[100_000], "image/png", CancellationToken.None);
        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["1", "1.meta"], files);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a\\b")]
    [InlineData("a/../../b")]
    [InlineData("space here")]
    [InlineData("")]
    public async Task Keys_that_could_escape_the_root_are_refused(string key)
    {
        var store = new FileSystemObjectStore(_root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new byte[1], "image/jpeg", CancellationToken.None));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

public sealed class S3StoreOptionsTests
{
    [Fact]
    public void Parses_an_aspire_style_connection_string()
    {
        var options = S3StoreOptions.Parse("Endpoint=http://127.0.0.1:9000;AccessKey=ak;SecretKey=sk;Region=cn-north-1;Bucket=materials");
        Assert.Equal(new Uri("http://127.0.0.1:9000"), options.Endpoint);
        Assert.Equal("ak", options.AccessKey);
        Assert.Equal("sk", options.SecretKey);
        Assert.Equal("cn-north-1", options.Region);
        Assert.Equal("materials", options.Bucket);
        Assert.False(options.UseChunkEncoding);
    }

    [Fact]
    public void A_missing_part_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => S3StoreOptions.Parse("Endpoint=http://x;AccessKey=a;Bucket=b"));
        Assert.Contains("SecretKey", error.Message, StringComparison.Ordinal);
    }
}
