using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Background;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExamReview.UnitTests.Review;

/// <summary>The deadline monitor's scan on ReviewWorkflow's real migrations (SQLite), with a clock the test moves.</summary>
public sealed class DeadlineScannerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Returned = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"review-deadlines-{Guid.NewGuid():N}.db");
    private readonly ManualClock _clock = new(Returned);
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var options = new ReviewOptions
        {
            Deadlines =
            {
                ResponseWindow = TimeSpan.FromHours(24),
                ReminderBefore = TimeSpan.FromHours(4),
                Areas = { ["11"] = new AreaDeadlineOptions { ResponseWindow = TimeSpan.FromHours(48), ReminderBefore = TimeSpan.FromHours(12), OnExpiry = ExpiryBehaviour.Escalate } },
            },
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(Options.Create(options));
        services.AddDbContext<ReviewDbContext, ReviewSqliteDbContext>(o => o.UseSqlite($"Data Source={_database}"));
        services.AddScoped<DeadlineScanner>();
        _services = services.BuildServiceProvider(true);
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.MigrateAsync();
    }

    private async Task<Guid> AddReturnedCaseAsync(string area, TimeSpan window)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var reviewCase = new ReviewCase
        {
            Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027" + area,
            AreaCode = area, SiteCode = area + "01", State = CaseState.Returned, SubmissionNumber = 1, ImageIdsJson = "[]",
            SubmittedAt = Returned.AddHours(-2), OpenedAt = Returned.AddHours(-2), UpdatedAt = Returned, RespondBy = Returned + window, ReturnCount = 1,
        };
        db.Cases.Add(reviewCase);
        await db.SaveChangesAsync();
        return reviewCase.Id;
    }

    private async Task<DeadlineScanResult> ScanAtAsync(DateTimeOffset now)
    {
        _clock.Now = now;
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeadlineScanner>().ScanAsync(CancellationToken.None);
    }

    private async Task<(ReviewCase Case, List<string> Timeline, List<OutboxMessage> Outbox)> ReadAsync(Guid caseId)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var reviewCase = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId);
        var timeline = await db.CaseEvents.Where(e => e.CaseId == caseId).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        var outbox = await db.OutboxMessages.Where(m => m.Body.Contains(caseId.ToString())).OrderBy(m => m.Sequence).ToListAsync();
        return (reviewCase, timeline, outbox);
    }

    [Fact]
    public async Task One_reminder_goes_out_before_the_window_ends_then_the_case_is_flagged_overdue_and_keeps_waiting()
    {
        var caseId = await AddReturnedCaseAsync("43", TimeSpan.FromHours(24));

        Assert.Equal(0, (await ScanAtAsync(Returned.AddHours(19))).RemindersSent);
        Assert.Equal(1, (await ScanAtAsync(Returned.AddHours(20))).RemindersSent);
        Assert.Equal(0, (await ScanAtAsync(Returned.AddHours(21))).RemindersSent);
        var (reminded, timeline, outbox) = await ReadAsync(caseId);
        var reminder = Assert.Single(outbox);
        Assert.Equal(typeof(ReturnDeadlineApproaching).FullName, reminder.MessageType);
        Assert.Contains(Returned.AddHours(24).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), reminder.Body, StringComparison.Ordinal);
        Assert.Equal(Returned.AddHours(20), reminded.ReminderSentAt);
        Assert.Equal([CaseEventKinds.ReminderSent], timeline);

        var expired = await ScanAtAsync(Returned.AddHours(24));
        Assert.Equal((1, 0), (expired.WindowsExpired, expired.Escalated));
        var (overdue, afterExpiry, _) = await ReadAsync(caseId);
        Assert.Equal(CaseState.Returned, overdue.State);
        Assert.True(overdue.IsOverdue(Returned.AddHours(24)));
        Assert.Null(overdue.EscalatedAt);
        Assert.Equal([CaseEventKinds.ReminderSent, CaseEventKinds.ResponseWindowExpired], afterExpiry);

        // A later scan finds nothing new to do.
        Assert.Equal(new DeadlineScanResult(0, 0, 0, 0), await ScanAtAsync(Returned.AddHours(30)));
    }

    [Fact]
    public async Task An_area_configured_to_escalate_uses_its_own_window_and_escalates_at_expiry()
    {
        var caseId = await AddReturnedCaseAsync("11", TimeSpan.FromHours(48));
        Assert.Equal(0, (await ScanAtAsync(Returned.AddHours(35))).RemindersSent);
        Assert.Equal(1, (await ScanAtAsync(Returned.AddHours(36))).RemindersSent);
        Assert.Equal(new DeadlineScanResult(0, 0, 0, 0), await ScanAtAsync(Returned.AddHours(47)));
        var result = await ScanAtAsync(Returned.AddHours(48));
        Assert.Equal((1, 1), (result.WindowsExpired, result.Escalated));
        var (escalated, timeline, _) = await ReadAsync(caseId);
        Assert.Equal(Returned.AddHours(48), escalated.EscalatedAt);
        Assert.Equal(CaseState.Returned, escalated.State);
        Assert.Equal([CaseEventKinds.ReminderSent, CaseEventKinds.ResponseWindowExpired, CaseEventKinds.Escalated], timeline);
    }

    [Fact]
    public async Task A_window_missed_entirely_between_scans_is_flagged_without_a_late_reminder()
    {
        var caseId = await AddReturnedCaseAsync("43", TimeSpan.FromHours(24));
        var result = await ScanAtAsync(Returned.AddHours(25));
        Assert.Equal((0, 1), (result.RemindersSent, result.WindowsExpired));
        var (_, timeline, outbox) = await ReadAsync(caseId);
        Assert.Empty(outbox);
        Assert.Equal([CaseEventKinds.ResponseWindowExpired], timeline);
    }

    [Fact]
    public async Task Windows_that_ended_without_their_reminder_do_not_hold_back_other_cases_deadlines()
    {
        // More windows missed (a long outage) than one scan's batch: once flagged, they want nothing more.
        for (var i = 0; i < 201; i++)
        {
            await AddReturnedCaseAsync("43", TimeSpan.FromHours(24));
        }
        Assert.Equal(200, (await ScanAtAsync(Returned.AddHours(25))).WindowsExpired);
        Assert.Equal(1, (await ScanAtAsync(Returned.AddHours(25))).WindowsExpired);

        // A case whose window ends later still gets its reminder and, at the end of its window, its expiry.
        var later = await AddReturnedCaseAsync("43", TimeSpan.FromHours(50));
        Assert.Equal(1, (await ScanAtAsync(Returned.AddHours(46))).RemindersSent);
        Assert.Equal(1, (await ScanAtAsync(Returned.AddHours(50))).WindowsExpired);
        var (_, timeline, outbox) = await ReadAsync(later);
        Assert.Equal([CaseEventKinds.ReminderSent, CaseEventKinds.ResponseWindowExpired], timeline);
        Assert.Equal(typeof(ReturnDeadlineApproaching).FullName, Assert.Single(outbox).MessageType);
    }

    [Fact]
    public async Task Cases_not_yet_due_in_an_area_with_a_short_lead_do_not_hold_back_a_due_reminder_elsewhere()
    {
        // Area 43 reminds 4 h ahead, area 11 12 h ahead. More of 43's windows end before 11's than one batch holds, and
        // none of their reminders is due yet: they must not fill the batch that 11's due reminder needs.
        for (var i = 0; i < 201; i++)
        {
            await AddReturnedCaseAsync("43", TimeSpan.FromHours(35));
        }
        var longLead = await AddReturnedCaseAsync("11", TimeSpan.FromHours(40));

        var scan = await ScanAtAsync(Returned.AddHours(29));

        Assert.Equal(1, scan.RemindersSent);
        var (reminded, _, outbox) = await ReadAsync(longLead);
        Assert.Equal(Returned.AddHours(29), reminded.ReminderSentAt);
        Assert.Equal(typeof(ReturnDeadlineApproaching).FullName, Assert.Single(outbox).MessageType);
        // Area 43's reminders go out when their own lead says so, a batch at a time.
        Assert.Equal(200, (await ScanAtAsync(Returned.AddHours(31))).RemindersSent);
        Assert.Equal(1, (await ScanAtAsync(Returned.AddHours(31))).RemindersSent);
    }

    [Fact]
    public async Task An_expired_claim_returns_the_case_to_the_queue_and_is_recorded()
    {
        Guid caseId;
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            var reviewCase = new ReviewCase
            {
                Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "1", AreaCode = "43",
                SiteCode = "4301", State = CaseState.SiteReview, SubmissionNumber = 1, ImageIdsJson = "[]", SubmittedAt = Returned, OpenedAt = Returned, UpdatedAt = Returned,
            };
            reviewCase.Claim("site-reviewer-a", Returned, TimeSpan.FromMinutes(15));
            db.Cases.Add(reviewCase);
            await db.SaveChangesAsync();
            caseId = reviewCase.Id;
        }
        Assert.Equal(0, (await ScanAtAsync(Returned.AddMinutes(14))).ClaimsExpired);
        Assert.Equal(1, (await ScanAtAsync(Returned.AddMinutes(15))).ClaimsExpired);
        var (released, timeline, _) = await ReadAsync(caseId);
        Assert.Null(released.ClaimedBy);
        Assert.Null(released.ClaimExpiresAt);
        Assert.Equal([CaseEventKinds.ClaimExpired], timeline);
    }

    [Fact]
    public async Task The_timeline_is_append_only()
    {
        var caseId = await AddReturnedCaseAsync("43", TimeSpan.FromHours(24));
        await ScanAtAsync(Returned.AddHours(25));
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var entry = await db.CaseEvents.FirstAsync(e => e.CaseId == caseId);
        entry.Detail = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.CaseEvents.Remove(await db.CaseEvents.FirstAsync(e => e.CaseId == caseId));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
