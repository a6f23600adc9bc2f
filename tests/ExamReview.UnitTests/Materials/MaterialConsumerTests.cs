using ExamReview.Contracts;
using ExamReview.MaterialStorage.Consumers;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Materials;

/// <summary>MaterialStorage's consumers on its real migrations (SQLite): locks from review, idempotently; the profile copy.</summary>
public sealed class MaterialConsumerTests : IAsyncLifetime
{
    private ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext> _fixture = null!;

    private ServiceProvider Services => _fixture.Services;

    private ITestHarness Harness => _fixture.Harness;

    public async Task InitializeAsync()
    {
        _fixture = await ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<UnlockMaterialsConsumer>();
            x.AddConsumer<ApproveMaterialsConsumer>();
            x.AddConsumer<CandidateProfileChangedConsumer>();
        }, services => services.AddSingleton<ExamReview.MaterialStorage.Operations.MaterialStorageMetrics>().AddSingleton<CatalogStore>(), TimeSpan.FromSeconds(2));
    }

    private async Task<(Guid ApplicationId, Guid CandidateId, List<Guid> Images)> SubmittedApplicationAsync(int images)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(),
            CandidateId = Guid.NewGuid(),
            RegistrationNumber = "2027430000000001",
            ExamYear = 2027,
            AreaCode = "43",
            SiteCode = "4301",
            State = ApplicationState.Submitted,
            SubmissionNumber = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        for (var i = 0; i < images; i++)
        {
            application.Images.Add(new MaterialImage
            {
                Id = Guid.CreateVersion7(),
                ApplicationId = application.Id,
                MaterialType = "id-card",
                ObjectKey = $"originals/{i}",
                ContentType = "image/jpeg",
                Sha256 = "00",
                UploadedAt = DateTimeOffset.UtcNow,
            });
        }
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        return (application.Id, application.CandidateId, application.Images.Select(i => i.Id).ToList());
    }

    private async Task<MaterialApplication> LoadAsync(Guid applicationId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        return await db.Applications.AsNoTracking().Include(a => a.Images).SingleAsync(a => a.Id == applicationId);
    }

    /// <summary>Publishes the same message id twice and waits until the first copy took effect.</summary>
    private async Task<Guid> DeliverTwiceAsync<T>(T message, Func<Task<bool>> applied) where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = messageId);
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = messageId);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await applied())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} was not applied");
            await Task.Delay(50);
        }
        return messageId;
    }

    /// <summary>Once the bus is idle: no message faulted, and each duplicated id was recorded (applied) exactly once.</summary>
    private async Task AssertAppliedOnceAsync(params Guid[] messageIds)
    {
        await Harness.InactivityTask;
        Assert.False(await Harness.Published.Any<Fault>());
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        foreach (var id in messageIds)
        {
            Assert.Equal(1, await db.InboxMessages.CountAsync(m => m.MessageId == id));
        }
    }

    [Fact]
    public async Task A_return_naming_images_unlocks_only_those_keeps_the_rest_locked_and_stores_the_feedback_once()
    {
        var (applicationId, candidateId, images) = await SubmittedApplicationAsync(3);
        var unlock = await DeliverTwiceAsync(new UnlockMaterials(Guid.NewGuid(), applicationId, candidateId, [images[0]], "身份证反面不清晰，请重新上传"),
            async () => (await LoadAsync(applicationId)).State == ApplicationState.Returned);
        await AssertAppliedOnceAsync(unlock);

        var application = await LoadAsync(applicationId);
        Assert.Equal(ApplicationState.Returned, application.State);
        Assert.False(application.IsLocked);
        Assert.Equal("身份证反面不清晰，请重新上传", application.Feedback);
        Assert.Equal(ImageReviewState.ReplacementRequested, application.Images.Single(i => i.Id == images[0]).Review);
        Assert.All(application.Images.Where(i => i.Id != images[0]), i => Assert.True(i.IsLocked));
        Assert.Equal(1, application.Version); // one change for the message; its duplicate changed nothing
    }

    [Fact]
    public async Task A_return_naming_no_image_unlocks_everything_but_an_approved_image_stays_locked_for_good()
    {
        var (applicationId, candidateId, images) = await SubmittedApplicationAsync(3);
        var approve = await DeliverTwiceAsync(new ApproveMaterials(Guid.NewGuid(), applicationId, candidateId, [images[1]]),
            async () => (await LoadAsync(applicationId)).Images.Any(i => i.Review == ImageReviewState.Approved));
        var unlock = await DeliverTwiceAsync(new UnlockMaterials(Guid.NewGuid(), applicationId, candidateId, [], "请补充材料"),
            async () => (await LoadAsync(applicationId)).State == ApplicationState.Returned);
        await AssertAppliedOnceAsync(approve, unlock);

        var application = await LoadAsync(applicationId);
        var approved = application.Images.Single(i => i.Id == images[1]);
        Assert.Equal(ImageReviewState.Approved, approved.Review);
        Assert.True(approved.IsLocked);
        Assert.All(application.Images.Where(i => i.Id != images[1]), i => Assert.Equal(ImageReviewState.None, i.Review));
    }

    [Fact]
    public async Task The_profile_copy_keeps_the_newest_version_whatever_order_they_arrive_in()
    {
        var candidateId = Guid.NewGuid();
        CandidateProfileChanged Version(int version, int trials) => new(candidateId, version, "practitioner-clinical", "bachelor", false, null, "none", null,
            false, null, "other", false, false, "mainland", trials);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var newest = await DeliverTwiceAsync(Version(2, 3), () => db.Profiles.AsNoTracking().AnyAsync(p => p.CandidateId == candidateId));
        await Harness.Bus.Publish(Version(1, 1));
        await AssertAppliedOnceAsync(newest);

        var copy = await db.Profiles.AsNoTracking().SingleAsync(p => p.CandidateId == candidateId);
        Assert.Equal(2, copy.ProfileVersion);
        Assert.Equal(3, ProfileCopies.Deserialize(copy.FactsJson).TrialInstitutionCount);
    }

    [Fact]
    public async Task Profile_changes_for_one_candidate_consumed_at_once_all_apply_without_a_fault_and_the_newest_wins()
    {
        var candidateId = Guid.NewGuid();
        var ids = Enumerable.Range(1, 12).Select(_ => NewId.NextGuid()).ToArray();
        // Published together, out of order: the consumers race on a candidate that has no copy yet.
        await Task.WhenAll(ids.Select((id, i) => Harness.Bus.Publish(
            new CandidateProfileChanged(candidateId, 12 - i, "practitioner-clinical", "bachelor", false, null, "none", null,
                false, null, "other", false, false, "mainland", 12 - i),
            ctx => ctx.MessageId = id)));
        await AssertAppliedOnceAsync(ids);

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var copy = await db.Profiles.AsNoTracking().SingleAsync(p => p.CandidateId == candidateId);
        Assert.Equal(12, copy.ProfileVersion);
        Assert.Equal(12, ProfileCopies.Deserialize(copy.FactsJson).TrialInstitutionCount);
    }

    [Fact]
    public async Task The_migrations_seed_the_national_catalog_and_Hunans_own_for_each_seeded_year()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        var hunan = await new CatalogStore().FindAsync(db, 2027, "43", CancellationToken.None);
        Assert.NotNull(hunan);
        Assert.Equal(("43", 1), (hunan!.AreaCode, hunan.Version));
        Assert.NotNull(hunan.Catalog.Find("previous-admission-ticket"));
        var sichuan = await new CatalogStore().FindAsync(db, 2027, "51", CancellationToken.None);
        Assert.Equal((CatalogVersion.NationalArea, 1), (sichuan!.AreaCode, sichuan.Version));
        Assert.Equal("id-card", sichuan.Catalog.Types[0].Code);
        Assert.Null(sichuan.Catalog.Find("previous-admission-ticket"));
        var seeded = await db.Catalogs.AsNoTracking().ToListAsync();
        // Version 1 of the national catalog and of Hunan's for each seeded year.
        Assert.Equal([2025, 2025, 2026, 2026, 2027, 2027, 2028, 2028], seeded.Select(c => c.ExamYear).Order());
        Assert.All(seeded, c => Assert.Equal(2026, c.CreatedAt.Year));
        Assert.Null(await new CatalogStore().FindAsync(db, 2031, "43", CancellationToken.None));
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();
}
