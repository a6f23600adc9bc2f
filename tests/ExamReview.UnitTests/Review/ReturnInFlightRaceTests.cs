using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Storage = ExamReview.MaterialStorage.Domain;
using StorageProfile = ExamReview.MaterialStorage.Domain.Catalogs.CandidateProfile;
using StorageConsumers = ExamReview.MaterialStorage.Consumers;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// The race of continuous mode's return, message by message, through both services' real consumers and migrations
/// (SQLite, one in-memory harness each): the reviewer's return is decided in ReviewWorkflow; before MaterialStorage applies
/// its unlock, the candidate (whose page still reads 审核中) uploads one more image, into the returned round. Its
/// MaterialSubmitted reaches the returned case first, then the unlock reaches the application. The case takes the upload
/// (it used to fault until dead-lettered), the unlock leaves it open (it used to lock it unseen), and the candidate's next
/// write opens the round that reviews it.
/// </summary>
public sealed class ReturnInFlightRaceTests : IAsyncLifetime
{
    private const string Reviewer = "site-reviewer-1";

    private ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext> _review = null!;
    private ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext> _storage = null!;

    public async Task InitializeAsync()
    {
        _review = await ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<ApplicationSubmittedConsumer>();
            x.AddConsumer<MaterialUploadedConsumer>();
            x.AddConsumer<MaterialSubmittedConsumer>();
            x.AddConsumer<MaterialDeletedConsumer>();
        }, null, TimeSpan.FromSeconds(1));
        _storage = await ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext>.StartAsync(
            x => x.AddConsumer<StorageConsumers.UnlockMaterialsConsumer>(), null, TimeSpan.FromSeconds(1));
    }

    public async Task DisposeAsync()
    {
        await _review.DisposeAsync();
        await _storage.DisposeAsync();
    }

    /// <summary>Publishes on a harness and waits until its consumer handled this very copy (a fault counts as handled).</summary>
    private static async Task SettleAsync<T>(ITestHarness harness, T message) where T : class
    {
        var id = NewId.NextGuid();
        await harness.Bus.Publish(message, ctx => ctx.MessageId = id);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!harness.Consumed.Select<T>(x => x.Context.MessageId == id).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} {id} was not consumed");
            await Task.Delay(20);
        }
    }

    /// <summary>What MaterialStorage published with a candidate's write, delivered to ReviewWorkflow in the order published.</summary>
    private async Task ToReviewAsync(Storage.Decision decision)
    {
        foreach (var message in decision.Events)
        {
            await (message switch
            {
                MaterialUploaded m => SettleAsync(_review.Harness, m),
                ApplicationSubmitted m => SettleAsync(_review.Harness, m),
                MaterialSubmitted m => SettleAsync(_review.Harness, m),
                MaterialDeleted m => SettleAsync(_review.Harness, m),
                _ => Task.CompletedTask, // lock snapshots and the like: not what this race is about
            });
        }
    }

    /// <summary>A candidate's write on the stored application (the API's load, decide, commit), returning what it published.</summary>
    private async Task<Storage.Decision> CandidateAsync(Guid applicationId, Func<Storage.MaterialApplication, EffectiveCatalog, Storage.Decision> write)
    {
        await using var scope = _storage.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var application = await db.Applications.Include(a => a.Images).SingleAsync(a => a.Id == applicationId);
        var catalog = await new CatalogStore().FindAsync(db, application.ExamYear, application.AreaCode, CancellationToken.None);
        var decision = write(application, catalog!);
        Assert.Null(decision.Refusal);
        await db.SaveChangesAsync();
        return decision;
    }

    private static Storage.MaterialImage NewImage(Guid applicationId, string type) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = applicationId, MaterialType = type, ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = DateTimeOffset.UtcNow,
    };

    private Task<Storage.Decision> UploadAsync(Guid applicationId, Storage.MaterialImage image) =>
        CandidateAsync(applicationId, (a, catalog) => a.Upload(image, catalog, new StorageProfile(), DateTimeOffset.UtcNow));

    private async Task<(ReviewCase Case, List<ImageReview> Rows)> CaseAsync(Guid applicationId)
    {
        await using var scope = _review.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var reviewCase = await db.Cases.AsNoTracking().SingleAsync(c => c.ApplicationId == applicationId);
        return (reviewCase, await db.ImageReviews.AsNoTracking().Where(i => i.CaseId == reviewCase.Id).ToListAsync());
    }

    [Fact]
    public async Task An_upload_made_while_the_return_is_on_its_way_joins_the_case_stays_open_and_is_reviewed_in_the_next_round()
    {
        // A continuous-mode application (national catalog): an ID card and a diploma, each its own submission of round 1.
        Guid applicationId;
        await using (var scope = _storage.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
            var application = new Storage.MaterialApplication
            {
                Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027510000000001", ExamYear = 2027, AreaCode = "51",
                SiteCode = "5101", SubmissionMode = Storage.SubmissionMode.Continuous, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Applications.Add(application);
            await db.SaveChangesAsync();
            applicationId = application.Id;
        }
        var idCard = NewImage(applicationId, "id-card");
        var diploma = NewImage(applicationId, "graduation-certificate");
        await ToReviewAsync(await UploadAsync(applicationId, idCard));
        await ToReviewAsync(await UploadAsync(applicationId, diploma));

        // The site reviewer asks for the ID card again and returns the case: decided and committed in ReviewWorkflow.
        UnlockMaterials unlock;
        await using (var scope = _review.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            var reviewCase = await db.Cases.SingleAsync(c => c.ApplicationId == applicationId);
            var rows = await db.ImageReviews.Where(i => i.CaseId == reviewCase.Id).ToListAsync();
            var now = DateTimeOffset.UtcNow;
            reviewCase.Claim(Reviewer, now, TimeSpan.FromMinutes(15));
            Assert.Null(reviewCase.RequestReplacement(idCard.Id, new ReplacementAsk("unclear", null), rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now).Refusal);
            var returned = reviewCase.Return(new ReviewerReturn(null, [], false), rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now, TimeSpan.FromDays(1),
                new Dictionary<Guid, string>());
            Assert.Null(returned.Refusal);
            await db.SaveChangesAsync();
            unlock = Assert.Single(returned.Messages.OfType<UnlockMaterials>());
        }

        // The unlock has not reached MaterialStorage: the application is still in review, and the candidate uploads a second diploma.
        var later = NewImage(applicationId, "graduation-certificate");
        var upload = await UploadAsync(applicationId, later);
        Assert.DoesNotContain(upload.Events, e => e is ApplicationSubmitted);
        await ToReviewAsync(upload);

        Assert.False(await _review.Harness.Published.Any<Fault<MaterialSubmitted>>());
        var (duringReturn, rowsDuringReturn) = await CaseAsync(applicationId);
        Assert.Equal(CaseState.Returned, duringReturn.State);
        var joined = Assert.Single(rowsDuringReturn, r => r.ImageId == later.Id);
        Assert.Equal((true, ImageDecision.Pending, 1), (joined.Current, joined.Decision, joined.SubmissionNumber));

        // Now the unlock arrives: the ID card awaits its replacement, the reviewed diploma stays locked, the later one stays open.
        await SettleAsync(_storage.Harness, unlock);
        Assert.False(await _storage.Harness.Published.Any<Fault<UnlockMaterials>>());
        await using (var scope = _storage.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
            var application = await db.Applications.AsNoTracking().Include(a => a.Images).SingleAsync(a => a.Id == applicationId);
            Assert.Equal(Storage.ApplicationState.Returned, application.State);
            Storage.ImageLock LockOf(Guid id) => application.LockOf(application.Images.Single(i => i.Id == id));
            Assert.Equal((Storage.ImageLock.Open, Storage.ImageLock.Locked, Storage.ImageLock.Open), (LockOf(idCard.Id), LockOf(diploma.Id), LockOf(later.Id)));
            Assert.Null(application.CheckChange(later.Id));
        }

        // The candidate replaces the ID card: round 2 lists every image, and the case reviews the later upload in it.
        var replacement = NewImage(applicationId, "id-card");
        await ToReviewAsync(await CandidateAsync(applicationId,
            (a, catalog) => a.Replace(idCard.Id, replacement, catalog, new StorageProfile(), DateTimeOffset.UtcNow)));

        Assert.False(await _review.Harness.Published.Any<Fault>());
        var (resubmitted, rows2) = await CaseAsync(applicationId);
        Assert.Equal((CaseState.SiteReview, 2, true), (resubmitted.State, resubmitted.SubmissionNumber, resubmitted.ResubmittedSinceReview));
        Assert.Equal(new[] { diploma.Id, later.Id, replacement.Id }.Order(), CaseImageIds.Of(resubmitted).Order());
        Assert.Equal(new[] { diploma.Id, later.Id, replacement.Id }.Order(), rows2.Where(r => r.Current).Select(r => r.ImageId).Order());
        Assert.Single(rows2, r => r.ImageId == later.Id);
        var linked = rows2.Single(r => r.ImageId == replacement.Id);
        Assert.Equal((idCard.Id, ImageDecision.ReplacementRequested, "unclear"), (linked.ReplacesImageId, linked.PreviousDecision, linked.PreviousReasonCode));
        Assert.Contains(ImageDecisionRules.Blocking(rows2), r => r.ImageId == later.Id);
    }
}
