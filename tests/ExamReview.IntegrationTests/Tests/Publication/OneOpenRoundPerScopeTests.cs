using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Tests.Persistence;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.UnitTests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.IntegrationTests.Tests.Publication;

/// <summary>
/// A site or area has at most one open result round, kept by the database (migration <c>OneOpenRoundPerScope</c>):
/// first end dates set at once on PostgreSQL open one round between them, and a database that two of them had already
/// given two open rounds keeps, on both providers, the one every read showed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OneOpenRoundPerScopeTests(PostgresContainer postgres)
{
    private const string Previous = "_ImageArrivedInReturn";
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task First_end_dates_set_at_once_open_exactly_one_round(int requests)
    {
        await using var database = await ScratchDatabase.CreateAsync(DatabaseProvider.PostgreSql, postgres.ConnectionString);
        var meet = new SavesMeet();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(new PublicationOptions());
        services.AddDbContext<ReviewDbContext, ReviewPostgreSqlDbContext>(o => o.UseNpgsql(database.ConnectionString).AddInterceptors(meet));
        services.AddScoped<RoundPublisher>();
        await using var provider = services.BuildServiceProvider(true);
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.MigrateAsync();
        }
        var endsAt = T0.AddDays(7); // whole seconds: PostgreSQL keeps microseconds

        meet.Expect(requests);
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
        {
            await using var scope = provider.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RoundPublisher>().ScheduleAsync(RoundLevels.Area, "37", endsAt.AddHours(i), CancellationToken.None);
        })));

        Assert.True(meet.Met, "the requests did not all read before any of them wrote");
        await using var check = provider.CreateAsyncScope();
        var round = Assert.Single(await check.ServiceProvider.GetRequiredService<ReviewDbContext>().ResultRounds().AsNoTracking().ToListAsync());
        Assert.Null(round.ClosedAt);
        // Each set its date on that round or was told another request moved it meanwhile (null: 409 round_busy).
        Assert.All(answers, answer => Assert.True(answer is null || answer.Id == round.Id));
        Assert.Contains(answers, answer => answer is not null && answer.EndsAt == round.EndsAt);
        if (requests == 2)
        {
            Assert.All(answers, answer => Assert.NotNull(answer)); // the one that found the round opened moved nothing else's: it sets its date
        }
    }

    [Theory]
    [InlineData(nameof(DatabaseProvider.PostgreSql))]
    [InlineData(nameof(DatabaseProvider.Sqlite))]
    public async Task The_migration_keeps_the_earliest_open_round_of_a_scope_and_every_closed_one(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(Enum.Parse<DatabaseProvider>(provider), postgres.ConnectionString);
        var kept = Round(RoundLevels.Area, "37", T0);
        var otherScope = Round(RoundLevels.Site, "3701", T0.AddHours(3));
        List<ResultRound> rounds =
        [
            Round(RoundLevels.Area, "37", T0.AddHours(1)), kept, Round(RoundLevels.Area, "37", T0.AddHours(2)),
            Round(RoundLevels.Area, "37", T0.AddDays(-7), closedAt: T0.AddDays(-1)), otherScope,
            Round(RoundLevels.Area, "43", T0.AddDays(-7), closedAt: T0.AddDays(-2)), Round(RoundLevels.Area, "43", T0.AddDays(-1), closedAt: T0),
        ];
        await using (var db = (ReviewDbContext)ServiceContexts.Create("ReviewWorkflow", database))
        {
            // Stepped back to the schema before the migration, where nothing kept a scope to one open round.
            await db.Database.MigrateAsync();
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith(Previous, StringComparison.Ordinal)));
            db.ResultRounds().AddRange(rounds);
            await db.SaveChangesAsync();
        }

        await using (var db = (ReviewDbContext)ServiceContexts.Create("ReviewWorkflow", database))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using var read = (ReviewDbContext)ServiceContexts.Create("ReviewWorkflow", database);
        var left = await read.ResultRounds().AsNoTracking().ToListAsync();
        Assert.Equal(
            rounds.Where(r => r.ClosedAt is not null).Select(r => r.Id).Append(kept.Id).Append(otherScope.Id).Order(),
            left.Select(r => r.Id).Order());
        Assert.Equal(T0.AddDays(3), left.Single(r => r.Id == kept.Id).EndsAt);

        // From now on the database itself refuses a second open round for the scope.
        read.ResultRounds().Add(Round(RoundLevels.Area, "37", T0.AddHours(4)));
        var refused = await Assert.ThrowsAnyAsync<DbUpdateException>(() => read.SaveChangesAsync());
        Assert.True(refused.IsLostRace(), refused.ToString());
    }

    private static ResultRound Round(string level, string scopeCode, DateTimeOffset openedAt, DateTimeOffset? closedAt = null) => new()
    {
        Id = Guid.CreateVersion7(), Level = level, ScopeCode = scopeCode, OpenedAt = openedAt, EndsAt = openedAt.AddDays(3),
        ClosedAt = closedAt, ClosedBy = closedAt is null ? null : "operator-1", Version = 1,
    };
}
