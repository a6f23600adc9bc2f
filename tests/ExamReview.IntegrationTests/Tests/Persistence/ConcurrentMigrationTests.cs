using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Data;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// Replicas of one service start together against one fresh database (the AppHost's <c>WithReplicas</c>, a rolling
/// deployment): their start-up migrations race. One of two Notification replicas used to die with 42P07 ("relation
/// WebhookEndpoints already exists") and never came back, which the SMS replica test then waited for in vain.
/// Both must come up, with every migration applied once. A migration without schema changes raced differently: both
/// replicas recorded it and the second died on the history table's key (CI, session 12; five rounds make that likelier).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentMigrationTests(PostgresContainer postgres)
{
    [Fact]
    public async Task Two_replicas_migrating_one_fresh_database_at_once_both_start()
    {
        for (var round = 0; round < 5; round++)
        {
            var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = $"er_race_{Guid.NewGuid():N}"[..24] }.ConnectionString;
            var migrators = Enumerable.Range(0, 2).Select(_ => Migrator(connectionString)).ToList();
            try
            {
                await Task.WhenAll(migrators.Select(m => m.Migrator.StartAsync(CancellationToken.None)));

                await using var scope = migrators[0].Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Equal(db.Database.GetMigrations().Count(), (await db.Database.GetAppliedMigrationsAsync()).Count());
            }
            finally
            {
                foreach (var (services, _) in migrators)
                {
                    await services.DisposeAsync();
                }
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(postgres.ConnectionString);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>Notification's database registration as the service makes it, and the start-up migrator it adds.</summary>
    private static (ServiceProvider Services, IHostedService Migrator) Migrator(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:notificationdb"] = connectionString;
        builder.AddServiceDatabase<NotificationDbContext, NotificationPostgreSqlDbContext, NotificationSqliteDbContext>("notificationdb");
        var services = builder.Services.BuildServiceProvider();
        var migrator = services.GetServices<IHostedService>().Single(s => s.GetType().Name.StartsWith("DatabaseMigrator", StringComparison.Ordinal));
        return (services, migrator);
    }
}
