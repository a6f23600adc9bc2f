using ExamReview.Contracts;
using ExamReview.ImageValidation.Extensions;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.UnitTests;

/// <summary>ImageValidation's view of the materials bucket: read originals, write (and remove) reviewer copies, nothing else.</summary>
public sealed class ScopedObjectStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "examreview-scoped-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemObjectStore _bucket;
    private readonly ScopedObjectStore _imageValidation;

    public ScopedObjectStoreTests()
    {
        _bucket = new FileSystemObjectStore(_root);
        _imageValidation = new ScopedObjectStore(_bucket, ImageValidationModule.StoreView, ImageValidationModule.StoreGrants);
    }

    [Fact]
    public async Task Image_validation_reads_originals_and_writes_copies()
    {
        var (application, image) = (Guid.NewGuid(), Guid.NewGuid());
        var original = MaterialObjects.OriginalKey(application, image);
        var copy = MaterialObjects.ReviewerCopyKey(application, image);
        await _bucket.PutAsync(original, new byte[] { 1, 2, 3 }, "image/png", CancellationToken.None);

        Assert.Equal([1, 2, 3], (await _imageValidation.GetAsync(original, CancellationToken.None))!.Content);
        await _imageValidation.PutAsync(copy, new byte[] { 4 }, "image/jpeg", CancellationToken.None);
        Assert.Equal([original, copy], await _bucket.ListAsync("", CancellationToken.None));
        await _imageValidation.DeleteAsync(copy, CancellationToken.None);
        Assert.Equal([original], await _bucket.ListAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task Everything_else_is_refused_before_it_reaches_the_bucket()
    {
        var (application, image) = (Guid.NewGuid(), Guid.NewGuid());
        var original = MaterialObjects.OriginalKey(application, image);
        var copy = MaterialObjects.ReviewerCopyKey(application, image);
        await _bucket.PutAsync(original, new byte[] { 1 }, "image/png", CancellationToken.None);
        await _bucket.PutAsync(copy, new byte[] { 2 }, "image/jpeg", CancellationToken.None);

        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => _imageValidation.PutAsync(original, new byte[] { 9 }, "image/png", CancellationToken.None));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => _imageValidation.DeleteAsync(original, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => _imageValidation.GetAsync(copy, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => _imageValidation.GetAsync("photos/someone", CancellationToken.None));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => _imageValidation.PutAsync("watermarked-elsewhere/x", new byte[] { 9 }, "image/jpeg", CancellationToken.None));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => _imageValidation.ListAsync("", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _imageValidation.GetAsync("originals/../photos/x", CancellationToken.None));

        Assert.Equal([1], (await _bucket.GetAsync(original, CancellationToken.None))!.Content);
        Assert.Equal([original, copy], await _bucket.ListAsync("", CancellationToken.None));
    }

    [Fact]
    public void A_grant_must_name_a_folder()
    {
        Assert.Throws<ArgumentException>(() => new ScopedObjectStore(_bucket, "x", [new ObjectGrant("originals", ObjectAccess.Read)]));
        Assert.Throws<ArgumentException>(() => new ScopedObjectStore(_bucket, "x", [new ObjectGrant("/", ObjectAccess.Read)]));
    }

    [Fact]
    public async Task Listing_returns_complete_objects_under_a_prefix_only()
    {
        await _bucket.PutAsync("originals/a/1", new byte[] { 1 }, "image/png", CancellationToken.None);
        await _bucket.PutAsync("originals/a/2", new byte[] { 1 }, "image/png", CancellationToken.None);
        await _bucket.PutAsync("originals/ab/3", new byte[] { 1 }, "image/png", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_root, "originals", "a", "4.0123.tmp"), "half-written");

        Assert.Equal(["originals/a/1", "originals/a/2"], await _bucket.ListAsync("originals/a/", CancellationToken.None));
        Assert.Equal(["originals/a/1", "originals/a/2", "originals/ab/3"], await _bucket.ListAsync("originals/a", CancellationToken.None));
        Assert.Empty(await _bucket.ListAsync("watermarked/", CancellationToken.None));
    }

    [Fact]
    public void The_verdict_on_an_image_always_has_the_same_message_id()
    {
        var image = Guid.NewGuid();
        Assert.Equal(MaterialObjects.VerdictMessageId(image), MaterialObjects.VerdictMessageId(image));
        Assert.NotEqual(MaterialObjects.VerdictMessageId(image), MaterialObjects.VerdictMessageId(Guid.NewGuid()));
        Assert.Equal(8, MaterialObjects.VerdictMessageId(image).Version);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
