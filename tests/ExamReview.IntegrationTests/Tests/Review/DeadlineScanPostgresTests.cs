using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Tests.Persistence;
using ExamReview.ReviewWorkflow.Background;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.UnitTests.Notification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// The deadline scan's queries on PostgreSQL (the unit tests run them on SQLite): due reminders are asked per reminder
/// lead, with the areas that configure their own lead kept out of the default's query and in their own.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeadlineScanPostgresTests(PostgresContainer postgres)
{
    private static readonly DateTimeOffset Returned = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_area_is_reminded_by_its_own_lead_and_ended_windows_are_flagged()
    {
        await using var database = await ScratchDatabase.CreateAsync(DatabaseProvider.PostgreSql, postgres.ConnectionString);
        var clock = new ManualClock(Returned);
        var options = new ReviewOptions
        {
            Deadlines =
            {
                ReminderBefore = TimeSpan.FromHours(4),
                Areas =
                {
                    ["11"] = new AreaDeadlineOptions { ReminderBefore = TimeSpan.FromHours(12) },
                    ["12"] = new AreaDeadlineOptions { ReminderBefore = TimeSpan.FromHours(12) },
                    ["31"] = new AreaDeadlineOptions { OnExpiry = ExpiryBehaviour.Escalate }, // the default lead
                },
            },
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(Options.Create(options));
        services.AddDbContext<ReviewDbContext, ReviewPostgreSqlDbContext>(o => o.UseNpgsql(database.ConnectionString));
        services.AddScoped<DeadlineScanner>();
        await using var provider = services.BuildServiceProvider(true);
        Guid defaultDue, defaultNotDue, ownDue, otherOwnDue, ended, defaultLeadArea;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            await db.Database.MigrateAsync();
            defaultDue = Add(db, "43", TimeSpan.FromHours(3));
            defaultNotDue = Add(db, "43", TimeSpan.FromHours(10));
            ownDue = Add(db, "11", TimeSpan.FromHours(10));
            otherOwnDue = Add(db, "12", TimeSpan.FromHours(11));
            defaultLeadArea = Add(db, "31", TimeSpan.FromHours(10));
            ended = Add(db, "43", TimeSpan.FromHours(-1));
            await db.SaveChangesAsync();
        }

        DeadlineScanResult result;
        await using (var scope = provider.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<DeadlineScanner>().ScanAsync(CancellationToken.None);
        }

        Assert.Equal((3, 1), (result.RemindersSent, result.WindowsExpired));
        await using var read = provider.CreateAsyncScope();
        var cases = await read.ServiceProvider.GetRequiredService<ReviewDbContext>().Cases.AsNoTracking().ToDictionaryAsync(c => c.Id);
        Assert.NotNull(cases[defaultDue].ReminderSentAt);
        Assert.NotNull(cases[ownDue].ReminderSentAt);
        Assert.NotNull(cases[otherOwnDue].ReminderSentAt);
        Assert.Null(cases[defaultNotDue].ReminderSentAt); // 10 h ahead, the default reminds 4 h ahead
        Assert.Null(cases[defaultLeadArea].ReminderSentAt); // an area overriding something else keeps the default lead
        Assert.NotNull(cases[ended].ResponseWindowExpiredAt);
        Assert.Null(cases[ended].ReminderSentAt); // no late reminder for a window already over
    }

    private static Guid Add(ReviewDbContext db, string area, TimeSpan left)
    {
        var reviewCase = new ReviewCase
        {
            Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027" + area,
            AreaCode = area, SiteCode = area + "01", State = CaseState.Returned, SubmissionNumber = 1, ImageIdsJson = "[]",
            SubmittedAt = Returned.AddHours(-30), OpenedAt = Returned.AddHours(-30), UpdatedAt = Returned.AddHours(-1),
            RespondBy = Returned + left, ReturnCount = 1,
        };
        db.Cases.Add(reviewCase);
        return reviewCase.Id;
    }
}
