using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// ReviewWorkflow's rounds and held results on its real migrations, on a SQLite file of the test's own: area 37 holds
/// its results until the round closes (every other area publishes at once), the clock is the test's, and a test that
/// races a request against another can slip its own interceptors in front of the saves. What the publication tests
/// all need, set up in one place.
/// </summary>
public sealed class PublicationDatabase : IAsyncDisposable
{
    public const string HeldArea = "37";

    private readonly string _database;

    private PublicationDatabase(string database, ServiceProvider services, SettableClock clock)
    {
        _database = database;
        Services = services;
        Clock = clock;
    }

    public ServiceProvider Services { get; }

    public SettableClock Clock { get; }

    public static async Task<PublicationDatabase> StartAsync(DateTimeOffset now, params IInterceptor[] interceptors)
    {
        var database = Path.Combine(Path.GetTempPath(), $"review-publication-{Guid.NewGuid():N}.db");
        var clock = new SettableClock(now);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(new PublicationOptions { Areas = { [HeldArea] = new AreaPublicationOptions { Mode = PublicationMode.HeldUntilRoundCloses } } });
        services.AddDbContext<ReviewDbContext, ReviewSqliteDbContext>(o => o.UseSqlite($"Data Source={database}").AddInterceptors(interceptors));
        services.AddScoped<RoundPublisher>();
        var provider = services.BuildServiceProvider(true);
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.MigrateAsync();
        }
        return new PublicationDatabase(database, provider, clock);
    }

    /// <summary>Sets a round's end date as the endpoint does, in a scope (a request) of its own.</summary>
    public async Task<ResultRound?> ScheduleAsync(string level, string scopeCode, DateTimeOffset endsAt)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RoundPublisher>().ScheduleAsync(level, scopeCode, endsAt, CancellationToken.None);
    }

    /// <summary>Publishes a round as the endpoint does, in a scope (a request) of its own.</summary>
    public async Task<RoundOutcome> PublishAsync(string level, string scopeCode, string actor)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RoundPublisher>().PublishAsync(level, scopeCode, actor, CancellationToken.None);
    }

    /// <summary>Every round as stored, oldest first.</summary>
    public async Task<List<ResultRound>> RoundsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().ResultRounds().AsNoTracking().OrderBy(r => r.OpenedAt).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    public sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
