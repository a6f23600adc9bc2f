using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.UnitTests.Provincial;

/// <summary>
/// The applications feed writes a row when a save changes what the province sees, and only then: every candidate
/// write bumps the application's version, which the province does not see (issue 19).
/// </summary>
public sealed class ApplicationFeedTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"app-feed-{Guid.NewGuid():N}.db");
    private readonly Guid _applicationId = Guid.CreateVersion7();

    private MaterialStorageDbContext Open() =>
        new MaterialStorageSqliteDbContext(new DbContextOptionsBuilder<MaterialStorageSqliteDbContext>().UseSqlite($"Data Source={_file}").Options);

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        db.Applications.Add(new MaterialApplication
        {
            Id = _applicationId, CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", ExamYear = 2027, AreaCode = "43", SiteCode = "4301",
            CreatedAt = T0,
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    private async Task ChangeAsync(Action<MaterialApplication> change)
    {
        await using var db = Open();
        var application = await db.Applications.Include(a => a.Images).SingleAsync(a => a.Id == _applicationId);
        change(application);
        await db.SaveChangesAsync();
    }

    private async Task<List<(string Kind, Guid Item)>> RowsAsync()
    {
        await using var db = Open();
        return (await db.Set<FeedEntry>().Where(e => e.Feed == ApplicationFeedProjection.Feed).OrderBy(e => e.Position).Select(e => new { e.Kind, e.ItemId }).ToListAsync())
            .Select(e => (e.Kind, e.ItemId)).ToList();
    }

    private static MaterialImage Image(Guid applicationId) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = applicationId, MaterialType = "id-card", ObjectKey = "originals/x", ContentType = "image/jpeg", Sha256 = "00",
        UploadedAt = T0,
    };

    [Fact]
    public async Task An_upload_writes_its_material_but_not_the_unchanged_application_and_a_submit_writes_the_application()
    {
        var image = Image(_applicationId);
        await ChangeAsync(a =>
        {
            a.Images.Add(image);
            a.Touch();
        });
        Assert.Equal([(ApplicationFeedProjection.ApplicationKind, _applicationId), (ApplicationFeedProjection.MaterialKind, image.Id)], await RowsAsync());

        // What only the platform keeps (the reviewer copy's key, the version) writes nothing.
        await ChangeAsync(a =>
        {
            a.Images.Single().ReviewerCopyKey = "copies/x";
            a.Touch();
        });
        Assert.Equal(2, (await RowsAsync()).Count);

        await ChangeAsync(a =>
        {
            a.State = ApplicationState.Submitted;
            a.SubmissionNumber = 1;
            a.Touch();
        });
        Assert.Equal((ApplicationFeedProjection.ApplicationKind, _applicationId), (await RowsAsync())[^1]);
    }

    [Fact]
    public async Task Under_review_with_feedback_an_image_change_writes_the_application_too()
    {
        // The feedback shown follows the images' replacement requests while the application is with the reviewers.
        var image = Image(_applicationId);
        await ChangeAsync(a =>
        {
            a.Images.Add(image);
            a.State = ApplicationState.Submitted;
            a.Feedback = "身份证照片模糊";
        });
        var before = (await RowsAsync()).Count;

        await ChangeAsync(a =>
        {
            a.Images.Single().Review = ImageReviewState.ReplacementRequested;
            a.Touch();
        });

        Assert.Equal(
            [(ApplicationFeedProjection.ApplicationKind, _applicationId), (ApplicationFeedProjection.MaterialKind, image.Id)],
            (await RowsAsync()).Skip(before).OrderBy(r => r.Item1));
    }
}
