using System.Text.Json;
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
/// Continuous mode's races between the two services, message by message, through both services' real consumers and
/// migrations (SQLite, one in-memory harness each): ReviewWorkflow decides, and before MaterialStorage applies the command
/// the candidate (whose page still reads what it read) writes again. The tests deliver each message when the race needs it.
/// </summary>
public abstract class TwoServiceRace : IAsyncLifetime
{
    protected const string Reviewer = "site-reviewer-1";

    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    protected ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext> Review { get; private set; } = null!;

    protected ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext> Materials { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Review = await ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<ApplicationSubmittedConsumer>();
            x.AddConsumer<MaterialUploadedConsumer>();
            x.AddConsumer<MaterialSubmittedConsumer>();
            x.AddConsumer<MaterialDeletedConsumer>();
        }, null, TimeSpan.FromSeconds(1));
        Materials = await ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<StorageConsumers.UnlockMaterialsConsumer>();
            x.AddConsumer<StorageConsumers.LockMaterialsConsumer>();
        }, services => services.AddSingleton<CatalogStore>(), TimeSpan.FromSeconds(1));
    }

    public async Task DisposeAsync()
    {
        await Review.DisposeAsync();
        await Materials.DisposeAsync();
    }

    /// <summary>Publishes on a harness and waits until its consumer handled this very copy (a fault counts as handled).</summary>
    protected static async Task SettleAsync<T>(ITestHarness harness, T message) where T : class
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
    protected async Task ToReviewAsync(Storage.Decision decision)
    {
        foreach (var message in decision.Events)
        {
            await (message switch
            {
                MaterialUploaded m => SettleAsync(Review.Harness, m),
                ApplicationSubmitted m => SettleAsync(Review.Harness, m),
                MaterialSubmitted m => SettleAsync(Review.Harness, m),
                MaterialDeleted m => SettleAsync(Review.Harness, m),
                _ => Task.CompletedTask, // lock snapshots and the like: not what these races are about
            });
        }
    }

    /// <summary>The messages of <typeparamref name="T"/> a MaterialStorage consumer left in its outbox, oldest first.</summary>
    protected async Task<List<T>> MaterialsOutboxAsync<T>()
    {
        await using var scope = Materials.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(T).FullName).OrderBy(m => m.Sequence).ToListAsync();
        return rows.Select(r => JsonSerializer.Deserialize<T>(r.Body, MessageJson)!).ToList();
    }

    /// <summary>A continuous-mode application (national catalog), opened and stored.</summary>
    protected async Task<Guid> ContinuousApplicationAsync()
    {
        await using var scope = Materials.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var application = new Storage.MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027510000000001", ExamYear = 2027, AreaCode = "51",
            SiteCode = "5101", SubmissionMode = Storage.SubmissionMode.Continuous, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        return application.Id;
    }

    /// <summary>A candidate's write on the stored application (the API's load, decide, commit), returning what it published.</summary>
    protected async Task<Storage.Decision> CandidateAsync(Guid applicationId, Func<Storage.MaterialApplication, EffectiveCatalog, Storage.Decision> write)
    {
        await using var scope = Materials.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var application = await db.Applications.Include(a => a.Images).SingleAsync(a => a.Id == applicationId);
        var catalog = await new CatalogStore().FindAsync(db, application.ExamYear, application.AreaCode, CancellationToken.None);
        var decision = write(application, catalog!);
        Assert.Null(decision.Refusal);
        await db.SaveChangesAsync();
        return decision;
    }

    protected static Storage.MaterialImage NewImage(Guid applicationId, string type) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = applicationId, MaterialType = type, ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = DateTimeOffset.UtcNow,
    };

    protected Task<Storage.Decision> UploadAsync(Guid applicationId, Storage.MaterialImage image) =>
        CandidateAsync(applicationId, (a, catalog) => a.Upload(image, catalog, new StorageProfile(), DateTimeOffset.UtcNow));

    protected async Task<Storage.MaterialApplication> ApplicationAsync(Guid applicationId)
    {
        await using var scope = Materials.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        return await db.Applications.AsNoTracking().Include(a => a.Images).SingleAsync(a => a.Id == applicationId);
    }

    protected async Task<(ReviewCase Case, List<ImageReview> Rows)> CaseAsync(Guid applicationId)
    {
        await using var scope = Review.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var reviewCase = await db.Cases.AsNoTracking().SingleAsync(c => c.ApplicationId == applicationId);
        return (reviewCase, await db.ImageReviews.AsNoTracking().Where(i => i.CaseId == reviewCase.Id).ToListAsync());
    }

    /// <summary>The case's timeline entries of one kind, oldest first.</summary>
    protected async Task<List<CaseEvent>> TimelineAsync(Guid applicationId, string kind)
    {
        await using var scope = Review.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var caseId = await db.Cases.Where(c => c.ApplicationId == applicationId).Select(c => c.Id).SingleAsync();
        return (await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId && e.Kind == kind).ToListAsync()).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
    }

    /// <summary>A reviewer's decisions on the stored case (the handlers' load, decide, commit), returning the last one's result.</summary>
    protected async Task<DecisionResult> DecideAsync(Guid applicationId, Func<ReviewCase, List<ImageReview>, DateTimeOffset, DecisionResult> decide)
    {
        await using var scope = Review.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var reviewCase = await db.Cases.SingleAsync(c => c.ApplicationId == applicationId);
        var rows = await db.ImageReviews.Where(i => i.CaseId == reviewCase.Id).ToListAsync();
        var now = DateTimeOffset.UtcNow;
        reviewCase.Claim(Reviewer, now, TimeSpan.FromMinutes(15));
        var decided = decide(reviewCase, rows, now);
        Assert.Null(decided.Refusal);
        await db.SaveChangesAsync();
        return decided;
    }
}
