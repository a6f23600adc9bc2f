using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// What wakes a candidate page held open (Prefer: wait), on each database: on PostgreSQL the migration's triggers
/// and the listener (through the server, as another instance would hear them), on SQLite the saving context. A
/// committed change wakes that candidate's page and no other, only at commit, never for a rolled-back write; a
/// change to an area's settings wakes every page.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PageChangeNotificationTests(PostgresContainer postgres)
{
    private static readonly TimeSpan Woken = TimeSpan.FromSeconds(20);

    /// <summary>Long enough for a NOTIFY to arrive if one had been sent; the checks that use it pass when nothing comes.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);

    private sealed class Store(ServiceProvider services, ScratchDatabase database) : IAsyncDisposable
    {
        private PostgreSqlPageChangeListener? _listener;

        public PageChanges Changes { get; } = services.GetRequiredService<PageChanges>();

        public AsyncServiceScope Scope(out MaterialStorageDbContext db)
        {
            var scope = services.CreateAsyncScope();
            db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
            return scope;
        }

        public async Task MigrateAsync()
        {
            await using var scope = Scope(out var db);
            await db.Database.MigrateAsync();
        }

        /// <summary>Starts the listener as the host would; it wakes every page once it listens, so the test knows when to write.</summary>
        public async Task ListenAsync()
        {
            using var listening = Changes.Watch(Guid.NewGuid());
            _listener = new PostgreSqlPageChangeListener(services, Changes, NullLogger<PostgreSqlPageChangeListener>.Instance);
            await _listener.StartAsync(CancellationToken.None);
            Assert.True(await listening.ChangedWithinAsync(Woken, CancellationToken.None), "the listener did not start listening");
        }

        public async ValueTask DisposeAsync()
        {
            if (_listener is not null)
            {
                await _listener.StopAsync(CancellationToken.None);
                _listener.Dispose();
            }
            await services.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private async Task<Store> StoreAsync(DatabaseProvider provider)
    {
        var database = await ScratchDatabase.CreateAsync(provider, postgres.ConnectionString);
        var services = new ServiceCollection().AddLogging().AddSingleton<PageChanges>();
        if (provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<MaterialStorageDbContext, MaterialStoragePostgreSqlDbContext>(o => o.UseNpgsql(database.ConnectionString));
        }
        else
        {
            services.AddDbContext<MaterialStorageDbContext, MaterialStorageSqliteDbContext>(o => o.UseSqlite(database.ConnectionString));
        }
        var store = new Store(services.BuildServiceProvider(), database);
        try
        {
            await store.MigrateAsync();
            if (provider == DatabaseProvider.PostgreSql)
            {
                await store.ListenAsync();
            }
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private static MaterialApplication NewApplication() => new()
    {
        Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", ExamYear = 2027, AreaCode = "43", SiteCode = "4301",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static MaterialImage NewImage(MaterialApplication application) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "id-card", ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = DateTimeOffset.UtcNow,
    };

    public static TheoryData<string> Providers() => [nameof(DatabaseProvider.PostgreSql), nameof(DatabaseProvider.Sqlite)];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_committed_change_wakes_that_candidates_page_only(string provider)
    {
        await using var store = await StoreAsync(Enum.Parse<DatabaseProvider>(provider));
        var application = NewApplication();
        using var page = store.Changes.Watch(application.CandidateId);
        using var otherPage = store.Changes.Watch(Guid.NewGuid());

        await using (store.Scope(out var db))
        {
            db.Applications.Add(application);
            await db.SaveChangesAsync();
        }

        Assert.True(await page.ChangedWithinAsync(Woken, CancellationToken.None), "the new application did not wake its page");
        Assert.False(await otherPage.ChangedWithinAsync(Quiet, CancellationToken.None), "another candidate's page woke");

        // A verdict on an image: the image's page is its application's candidate's.
        using var verdict = store.Changes.Watch(application.CandidateId);
        await using (store.Scope(out var db))
        {
            var tracked = await db.Applications.Include(a => a.Images).SingleAsync(a => a.Id == application.Id);
            tracked.Images.Add(NewImage(tracked));
            await db.SaveChangesAsync();
        }
        Assert.True(await verdict.ChangedWithinAsync(Woken, CancellationToken.None), "the upload did not wake the page");

        using var checkedPage = store.Changes.Watch(application.CandidateId);
        await using (store.Scope(out var db))
        {
            var tracked = await db.Applications.Include(a => a.Images).SingleAsync(a => a.Id == application.Id);
            tracked.Images[0].Validation = ValidationState.Passed;
            await db.SaveChangesAsync();
        }
        Assert.True(await checkedPage.ChangedWithinAsync(Woken, CancellationToken.None), "the verdict did not wake the page");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_page_wakes_when_the_transaction_commits_and_never_for_a_rollback(string provider)
    {
        await using var store = await StoreAsync(Enum.Parse<DatabaseProvider>(provider));
        var committed = NewApplication();
        var rolledBack = NewApplication();
        using var committedPage = store.Changes.Watch(committed.CandidateId);
        using var rolledBackPage = store.Changes.Watch(rolledBack.CandidateId);

        await using (store.Scope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Applications.Add(committed);
            await db.SaveChangesAsync();
            Assert.False(await committedPage.ChangedWithinAsync(Quiet, CancellationToken.None), "the page woke before the commit: it would read the old page");
            await transaction.CommitAsync();
        }
        Assert.True(await committedPage.ChangedWithinAsync(Woken, CancellationToken.None), "the commit did not wake the page");

        await using (store.Scope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Applications.Add(rolledBack);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        Assert.False(await rolledBackPage.ChangedWithinAsync(Quiet, CancellationToken.None), "a rolled-back write woke the page");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_areas_settings_wake_every_page(string provider)
    {
        await using var store = await StoreAsync(Enum.Parse<DatabaseProvider>(provider));
        using var one = store.Changes.Watch(Guid.NewGuid());
        using var two = store.Changes.Watch(Guid.NewGuid());

        await using (store.Scope(out var db))
        {
            db.AreaSettings.Add(new AreaSettings { AreaCode = "43", SubmissionMode = SubmissionMode.Continuous, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.True(await one.ChangedWithinAsync(Woken, CancellationToken.None));
        Assert.True(await two.ChangedWithinAsync(Woken, CancellationToken.None));
    }

    [Fact]
    public async Task On_PostgreSQL_a_write_that_bypasses_the_model_still_wakes_the_page()
    {
        // Another instance, a bulk statement, an operator's fix in psql: the trigger sees every write.
        await using var store = await StoreAsync(DatabaseProvider.PostgreSql);
        var application = NewApplication();
        await using (store.Scope(out var db))
        {
            db.Applications.Add(application);
            application.Images.Add(NewImage(application));
            await db.SaveChangesAsync();
        }

        using var page = store.Changes.Watch(application.CandidateId);
        await using (store.Scope(out var db))
        {
            Assert.Equal(1, await db.Images.Where(i => i.ApplicationId == application.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Validation, ValidationState.Failed)));
        }
        Assert.True(await page.ChangedWithinAsync(Woken, CancellationToken.None), "a bulk update of the image did not wake the page");
    }
}
