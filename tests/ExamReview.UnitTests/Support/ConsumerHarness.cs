using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Support;

/// <summary>
/// A service's real consumers on MassTransit's in-memory harness, over the service's real migrations on a
/// SQLite file of the test's own: what every consumer test needs, set up in one place.
/// </summary>
/// <typeparam name="TSqlite">The service's SQLite context, whose migrations build the database.</typeparam>
public sealed class ConsumerHarness<TDbContext, TSqlite> : IAsyncDisposable where TDbContext : ServiceDbContext where TSqlite : TDbContext
{
    private readonly string _database;

    private ConsumerHarness(string database, ServiceProvider services, ITestHarness harness)
    {
        _database = database;
        Services = services;
        Harness = harness;
    }

    public ServiceProvider Services { get; }

    public ITestHarness Harness { get; }

    public static async Task<ConsumerHarness<TDbContext, TSqlite>> StartAsync(
        Action<IBusRegistrationConfigurator> consumers, Action<IServiceCollection>? extraServices = null, TimeSpan? inactivityTimeout = null)
    {
        var database = Path.Combine(Path.GetTempPath(), $"{typeof(TDbContext).Name}-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddDbContext<TDbContext, TSqlite>(o => o.UseSqlite($"Data Source={database}"));
        extraServices?.Invoke(services);
        services.AddMassTransitTestHarness(consumers);
        var provider = services.BuildServiceProvider(true);
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TDbContext>().Database.MigrateAsync();
        }
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = inactivityTimeout ?? TimeSpan.FromSeconds(2);
        await harness.Start();
        return new ConsumerHarness<TDbContext, TSqlite>(database, provider, harness);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }
}
