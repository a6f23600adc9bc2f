using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// An operator moves a round's end date while the round is being closed (its end date passed, or another operator
/// published): the close stands, nothing of the move is written, and the move says so instead of failing (a 500).
/// </summary>
public sealed class RoundScheduleRaceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"review-round-race-{Guid.NewGuid():N}.db");
    private readonly PublishBeforeSave _race = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FixedClock(T0));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(new PublicationOptions { Areas = { ["37"] = new AreaPublicationOptions { Mode = PublicationMode.HeldUntilRoundCloses } } });
        services.AddDbContext<ReviewDbContext, ReviewSqliteDbContext>(o => o.UseSqlite($"Data Source={_database}").AddInterceptors(_race));
        services.AddScoped<RoundPublisher>();
        _services = services.BuildServiceProvider(true);
        _race.Services = _services;
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    private async Task<ResultRound?> ScheduleAsync(DateTimeOffset endsAt)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RoundPublisher>().ScheduleAsync(RoundLevels.Area, "37", endsAt, CancellationToken.None);
    }

    [Fact]
    public async Task A_move_that_loses_to_a_close_writes_nothing_and_says_so()
    {
        var first = await ScheduleAsync(T0.AddDays(7));
        Assert.NotNull(first);

        _race.Armed = true;
        var moved = await ScheduleAsync(T0.AddDays(14));

        Assert.True(_race.Published, "the close did not run between the move's read and its write");
        Assert.Null(moved);
        await using var scope = _services.CreateAsyncScope();
        var rounds = await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().ResultRounds().AsNoTracking().ToListAsync();
        var round = Assert.Single(rounds);
        Assert.Equal(first.Id, round.Id);
        Assert.Equal(("operator-2", T0.AddDays(7)), (round.ClosedBy, round.EndsAt));

        // Once the close is done, the next move opens the next round with its date.
        var next = await ScheduleAsync(T0.AddDays(14));
        Assert.NotNull(next);
        Assert.NotEqual(first.Id, next.Id);
    }

    /// <summary>When armed, publishes the area's round (in a scope of its own) just before the next save writes.</summary>
    private sealed class PublishBeforeSave : SaveChangesInterceptor
    {
        public IServiceProvider Services { get; set; } = null!;
        public bool Armed { get; set; }
        public bool Published { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                Armed = false;
                await using var scope = Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RoundPublisher>().PublishAsync(RoundLevels.Area, "37", "operator-2", cancellationToken);
                Published = true;
            }
            return result;
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
