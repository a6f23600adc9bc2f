using System.Security.Claims;
using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// A time a client sends in China's offset names the same instant as its UTC form, on the embedded run's SQLite too:
/// the queue's submittedFrom/submittedTo filter by the instant (they were eight hours off: EF's binary converter
/// ordered by local ticks), and a time stored with an offset orders among the others by its instant.
/// </summary>
public sealed class OffsetTimestampTests : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Submitted = new(2027, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"review-offsets-{Guid.NewGuid():N}.db");
    private readonly ClaimsPrincipal _reviewer = new(new ClaimsIdentity(
        [new Claim(PlatformClaims.Subject, "site-reviewer-1"), new Claim(PlatformClaims.Role, Roles.SiteReviewer), new Claim(PlatformClaims.Site, "4301")],
        "test", PlatformClaims.Subject, PlatformClaims.Role));

    private ReviewDbContext Open() => new ReviewSqliteDbContext(new DbContextOptionsBuilder<ReviewSqliteDbContext>().UseSqlite($"Data Source={_file}").Options);

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        db.Cases.Add(NewCase(Submitted));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_queue_filters_by_the_instant_a_time_in_chinas_offset_names()
    {
        // 17:00+08:00 is 09:00Z, an hour before the case was submitted; 19:00+08:00 is 11:00Z, an hour after.
        Assert.Single(await QueueAsync(submittedFrom: Submitted.AddHours(-1).ToOffset(China)));
        Assert.Empty(await QueueAsync(submittedFrom: Submitted.AddHours(1).ToOffset(China)));
        Assert.Single(await QueueAsync(submittedTo: Submitted.AddHours(1).ToOffset(China)));
        Assert.Empty(await QueueAsync(submittedTo: Submitted.AddHours(-1).ToOffset(China)));
    }

    [Fact]
    public async Task A_time_written_in_another_offset_is_stored_as_its_instant()
    {
        await using (var db = Open())
        {
            // 18:30+08:00 is 10:30Z: after the first case, before 11:00Z.
            db.Cases.Add(NewCase(Submitted.AddMinutes(30).ToOffset(China)));
            await db.SaveChangesAsync();
        }

        var page = await QueueAsync(submittedTo: Submitted.AddHours(1));

        Assert.Equal([Submitted, Submitted.AddMinutes(30)], page.Select(c => c.SubmittedAt));
        Assert.All(page, c => Assert.Equal(TimeSpan.Zero, c.SubmittedAt.Offset));
    }

    private async Task<List<ReviewCase>> QueueAsync(DateTimeOffset? submittedFrom = null, DateTimeOffset? submittedTo = null)
    {
        await using var db = Open();
        var request = new CaseListRequest(null, null, submittedFrom, submittedTo, null, null, null, null, null, null, null);
        var (page, refusal) = CaseQueueQuery.Build(db, request, _reviewer, Submitted.AddDays(1));
        Assert.Null(refusal);
        return await page!.ToListAsync();
    }

    private static ReviewCase NewCase(DateTimeOffset submittedAt) => ReviewCases.NewCase(at: submittedAt);
}
