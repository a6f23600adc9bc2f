using ExamReview.Contracts;
using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Consumers;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Storage;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Materials;

/// <summary>MaterialStorage records ImageValidation's keyed verdict once, with its copy's key; a copy of a deleted image goes.</summary>
public sealed class MaterialValidatedConsumerTests : IAsyncLifetime
{
    private readonly string _objects = Path.Combine(Path.GetTempPath(), "examreview-verdicts-" + Guid.NewGuid().ToString("N"));
    private ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext> _fixture = null!;
    private FileSystemObjectStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new FileSystemObjectStore(_objects);
        _fixture = await ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext>.StartAsync(
            x => x.AddConsumer<MaterialValidatedConsumer>(),
            services => services.AddSingleton<IObjectStore>(_store));
    }

    private async Task<(Guid ApplicationId, Guid CandidateId, Guid ImageId)> UploadedImageAsync()
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(),
            CandidateId = Guid.NewGuid(),
            RegistrationNumber = "2027430000000001",
            ExamYear = 2027,
            AreaCode = "43",
            SiteCode = "4301",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var imageId = Guid.CreateVersion7();
        application.Images.Add(new MaterialImage
        {
            Id = imageId,
            ApplicationId = application.Id,
            MaterialType = "id-card",
            ObjectKey = MaterialObjects.OriginalKey(application.Id, imageId),
            ContentType = "image/jpeg",
            Sha256 = "00",
            UploadedAt = DateTimeOffset.UtcNow,
        });
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        return (application.Id, application.CandidateId, imageId);
    }

    /// <summary>Publishes the verdict twice under its keyed id, waits until it took effect and the bus is idle, and checks nothing faulted.</summary>
    private async Task DeliverTwiceAsync(MaterialValidated verdict, Func<Task<bool>> applied)
    {
        // ImageValidation sends a verdict again after a redelivery, under the same id.
        var id = MaterialObjects.VerdictMessageId(verdict.ImageId);
        await _fixture.Harness.Bus.Publish(verdict, ctx => ctx.MessageId = id);
        await _fixture.Harness.Bus.Publish(verdict, ctx => ctx.MessageId = id);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await applied())
        {
            Assert.True(DateTime.UtcNow < deadline, "the verdict was not applied");
            await Task.Delay(50);
        }
        await _fixture.Harness.InactivityTask;
        Assert.False(await _fixture.Harness.Published.Any<Fault>());
    }

    private async Task<MaterialImage> ImageAsync(Guid imageId)
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>().Images.AsNoTracking().SingleAsync(i => i.Id == imageId);
    }

    [Fact]
    public async Task The_verdict_and_its_copys_key_are_recorded_once()
    {
        var (applicationId, candidateId, imageId) = await UploadedImageAsync();
        var copy = MaterialObjects.ReviewerCopyKey(applicationId, imageId);
        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, false, [new ValidationFinding("doc-blurry", "图片不清晰", "blurry", null, null)], copy),
            async () => (await ImageAsync(imageId)).Validation != ValidationState.Pending);

        await using var scope = _fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var image = await db.Images.AsNoTracking().SingleAsync(i => i.Id == imageId);
        Assert.Equal(ValidationState.Failed, image.Validation);
        Assert.Equal(copy, image.ReviewerCopyKey);
        Assert.Contains("doc-blurry", image.FindingsJson, StringComparison.Ordinal);
        Assert.Equal(1, await db.InboxMessages.CountAsync(m => m.MessageId == MaterialObjects.VerdictMessageId(imageId)));
    }

    private async Task<string> PageETagAsync(Guid candidateId)
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        var stamp = await ApplicationPageStamp.LoadAsync(scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>(), candidateId, CancellationToken.None);
        return stamp!.ETag.ToString();
    }

    [Fact]
    public async Task A_verdict_gives_the_candidates_page_a_new_etag_without_touching_the_applications_row()
    {
        var (applicationId, candidateId, imageId) = await UploadedImageAsync();
        var before = await PageETagAsync(candidateId);
        Assert.Equal(before, await PageETagAsync(candidateId));
        Guid revision;
        await using (var scope = _fixture.Services.CreateAsyncScope())
        {
            revision = (await scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == applicationId)).Revision;
        }

        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, true, [], MaterialObjects.ReviewerCopyKey(applicationId, imageId)),
            async () => (await ImageAsync(imageId)).Validation != ValidationState.Pending);

        Assert.NotEqual(before, await PageETagAsync(candidateId));
        await using (var scope = _fixture.Services.CreateAsyncScope())
        {
            // The verdict changed only the image: a candidate's parallel uploads never queue on the application's row for it.
            Assert.Equal(revision, (await scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == applicationId)).Revision);
        }
    }

    [Fact]
    public async Task Deleting_an_image_gives_the_page_a_new_etag()
    {
        var (_, candidateId, imageId) = await UploadedImageAsync();
        var before = await PageETagAsync(candidateId);

        await using (var scope = _fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
            db.Images.Remove(await db.Images.SingleAsync(i => i.Id == imageId));
            await db.SaveChangesAsync();
        }

        Assert.NotEqual(before, await PageETagAsync(candidateId));
    }

    [Fact]
    public async Task A_verdict_on_an_image_deleted_meanwhile_removes_its_copy()
    {
        var (applicationId, candidateId, imageId) = await UploadedImageAsync();
        await using (var scope = _fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
            await db.Images.Where(i => i.Id == imageId).ExecuteDeleteAsync();
        }
        var copy = MaterialObjects.ReviewerCopyKey(applicationId, imageId);
        await _store.PutAsync(copy, new byte[] { 0xFF, 0xD8, 0xFF }, "image/jpeg", CancellationToken.None);

        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, true, [], copy),
            async () => !await _store.ExistsAsync(copy, CancellationToken.None));

        Assert.Empty(await _store.ListAsync(MaterialObjects.ReviewerCopiesPrefix, CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        if (Directory.Exists(_objects))
        {
            Directory.Delete(_objects, recursive: true);
        }
    }
}
