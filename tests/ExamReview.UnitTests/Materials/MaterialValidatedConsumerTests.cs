using ExamReview.Contracts;
using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Consumers;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Operations;
using ExamReview.ServiceDefaults.Storage;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// MaterialStorage records ImageValidation's keyed verdict once, with its copy's key; a copy of a deleted image goes;
/// an infected verdict wins over a clean one in either order.
/// </summary>
public sealed class MaterialValidatedConsumerTests : IAsyncLifetime
{
    private readonly string _objects = Path.Combine(Path.GetTempPath(), "examreview-verdicts-" + Guid.NewGuid().ToString("N"));
    private ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext> _fixture = null!;
    private FileSystemObjectStore _store = null!;
    private FailingCommit _failing = null!;

    public async Task InitializeAsync()
    {
        _store = new FileSystemObjectStore(_objects);
        _fixture = await ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext>.StartAsync(
            x => x.AddConsumer<MaterialValidatedConsumer>(),
            services =>
            {
                services.AddSingleton<IObjectStore>(_store).AddSingleton<MaterialStorageMetrics>();
                _failing = FailingCommit.AddTo<MaterialStorageSqliteDbContext>(services);
            });
    }

    private async Task<(Guid ApplicationId, Guid CandidateId, Guid ImageId)> UploadedImageAsync(ImageReviewState review = ImageReviewState.None)
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
            Review = review,
        });
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        return (application.Id, application.CandidateId, imageId);
    }

    /// <summary>Publishes the verdict twice under its keyed id, waits until it took effect and the bus is idle, and checks nothing faulted.</summary>
    private async Task DeliverTwiceAsync(MaterialValidated verdict, Func<Task<bool>> applied)
    {
        // ImageValidation sends a verdict again after a redelivery, under the same id when it judged the same way.
        var id = VerdictId(verdict);
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

    /// <summary>The id ImageValidation gives the verdict: an infected verdict has one of its own.</summary>
    private static Guid VerdictId(MaterialValidated verdict) => MaterialObjects.VerdictMessageId(
        verdict.ImageId, infected: verdict.Findings.Any(f => f.Code == ValidationFindingCodes.MalwareDetected));

    private static ValidationFinding Malware() => new(ValidationFindingCodes.MalwareDetected, "恶意文件", "malicious", null, "Eicar-Signature");

    private async Task<bool> ConsumedAsync(Guid messageId)
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>().InboxMessages.AnyAsync(m => m.MessageId == messageId);
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

    [Fact]
    public async Task An_infected_verdict_after_a_clean_one_is_no_duplicate_and_replaces_it()
    {
        var (applicationId, candidateId, imageId) = await UploadedImageAsync();
        var copy = MaterialObjects.ReviewerCopyKey(applicationId, imageId);
        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, true, [], copy),
            async () => (await ImageAsync(imageId)).Validation == ValidationState.Passed);

        // A redelivery after a signature update: ImageValidation deleted the copy and found malware.
        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, false, [Malware()], null),
            async () => (await ImageAsync(imageId)).Validation == ValidationState.Failed);

        var image = await ImageAsync(imageId);
        Assert.Null(image.ReviewerCopyKey);
        Assert.Contains(ValidationFindingCodes.MalwareDetected, image.FindingsJson, StringComparison.Ordinal);
        Assert.True(await ConsumedAsync(MaterialObjects.VerdictMessageId(imageId, infected: false)));
        Assert.True(await ConsumedAsync(MaterialObjects.VerdictMessageId(imageId, infected: true)));
    }

    [Fact]
    public async Task A_clean_verdict_after_an_infected_one_is_refused_and_its_copy_removed()
    {
        var (applicationId, candidateId, imageId) = await UploadedImageAsync();
        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, false, [Malware()], null),
            async () => (await ImageAsync(imageId)).Validation == ValidationState.Failed);
        var infected = await ImageAsync(imageId);
        var etag = await PageETagAsync(candidateId);
        // A clean judgement that arrives last: its copy must not outlive the refusal.
        var copy = MaterialObjects.ReviewerCopyKey(applicationId, imageId);
        await _store.PutAsync(copy, new byte[] { 0xFF, 0xD8, 0xFF }, "image/jpeg", CancellationToken.None);

        await DeliverTwiceAsync(new MaterialValidated(imageId, candidateId, true, [], copy),
            () => ConsumedAsync(MaterialObjects.VerdictMessageId(imageId, infected: false)));

        var image = await ImageAsync(imageId);
        Assert.Equal(
            (infected.Validation, infected.FindingsJson, infected.ReviewerCopyKey, infected.Revision),
            (image.Validation, image.FindingsJson, image.ReviewerCopyKey, image.Revision));
        Assert.Equal(etag, await PageETagAsync(candidateId));
        Assert.False(await _store.ExistsAsync(copy, CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        if (Directory.Exists(_objects))
        {
            Directory.Delete(_objects, recursive: true);
        }
    }

    /// <summary>Every increment of this harness's alert counter (value, its infected tag), from now on.</summary>
    private System.Diagnostics.Metrics.MeterListener ListenToAlerts(List<(long Value, object? Infected)> alerts)
    {
        var metrics = _fixture.Services.GetRequiredService<MaterialStorageMetrics>();
        var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (alerts)
            {
                alerts.Add((value, tags.ToArray().Single(t => t.Key == "infected").Value));
            }
        });
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task A_failing_verdict_on_an_approved_image_is_recorded_and_raises_the_operators_alert()
    {
        var alerts = new List<(long Value, object? Infected)>();
        using var listener = ListenToAlerts(alerts);

        var (_, candidateId, approvedId) = await UploadedImageAsync(ImageReviewState.Approved);
        await DeliverTwiceAsync(new MaterialValidated(approvedId, candidateId, false, [Malware()], null),
            async () => (await ImageAsync(approvedId)).Validation != ValidationState.Pending);
        // The verdict is still the image's: the candidate and the operators see it failed.
        Assert.Equal(ValidationState.Failed, (await ImageAsync(approvedId)).Validation);
        // A failing verdict on an image not yet approved is an ordinary verdict, no alert.
        var (_, otherCandidate, openId) = await UploadedImageAsync();
        await DeliverTwiceAsync(new MaterialValidated(openId, otherCandidate, false, [Malware()], null),
            async () => (await ImageAsync(openId)).Validation != ValidationState.Pending);

        lock (alerts)
        {
            Assert.Equal([(1L, (object?)true)], alerts); // once, although delivered twice
        }
        await using var scope = _fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        Assert.Equal(1, await db.Images.CountAsync(i => i.Validation == ValidationState.Failed && i.Review == ImageReviewState.Approved));
    }

    [Fact]
    public async Task The_alert_is_raised_once_the_verdict_is_committed_and_not_by_an_attempt_that_rolled_back()
    {
        var alerts = new List<(long Value, object? Infected)>();
        using var listener = ListenToAlerts(alerts);
        var (_, candidateId, approvedId) = await UploadedImageAsync(ImageReviewState.Approved);
        var verdict = new MaterialValidated(approvedId, candidateId, false, [Malware()], null);

        // The first attempt decides the alert, then its commit fails: it rolls back and faults (the bus would retry it).
        _failing.FailNextCommit();
        await _fixture.Harness.Bus.Publish(verdict, ctx => ctx.MessageId = VerdictId(verdict));
        // Polled rather than Published.Any, which gives up once the bus looks idle for the harness's 2 s (a loaded machine).
        var faulted = DateTime.UtcNow.AddSeconds(20);
        while (!_fixture.Harness.Published.Select<Fault<MaterialValidated>>(f => f.Context.Message.Message.ImageId == approvedId).Any())
        {
            Assert.True(DateTime.UtcNow < faulted, "the attempt whose commit failed did not fault");
            await Task.Delay(50);
        }
        Assert.True(_failing.Spent);
        Assert.Equal(ValidationState.Pending, (await ImageAsync(approvedId)).Validation);
        lock (alerts)
        {
            Assert.Empty(alerts);
        }

        // Delivered again: this time it commits, and the alert is raised for it once.
        await _fixture.Harness.Bus.Publish(verdict, ctx => ctx.MessageId = VerdictId(verdict));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await ConsumedAsync(VerdictId(verdict)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the verdict was not applied");
            await Task.Delay(50);
        }
        await _fixture.Harness.InactivityTask;
        Assert.Equal(ValidationState.Failed, (await ImageAsync(approvedId)).Validation);
        lock (alerts)
        {
            Assert.Equal([(1L, (object?)true)], alerts);
        }
    }
}
