using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ExamReview.ServiceDefaults.Persistence;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers a service's DbContext from <c>ConnectionStrings:{connectionName}</c>: PostgreSQL when the
    /// string names a Host, SQLite otherwise; with no string at all (embedded run) a SQLite file under
    /// the data directory. The context is resolved as <typeparamref name="TDbContext"/> and created as the
    /// provider's subclass, whose migration set is applied before the host starts serving.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TDbContext, TPostgreSql, TSqlite>(this WebApplicationBuilder builder, string connectionName)
        where TDbContext : ServiceDbContext
        where TPostgreSql : TDbContext
        where TSqlite : TDbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDirectory = Path.GetFullPath(builder.Configuration["DataDirectory"] ?? ".data");
            Directory.CreateDirectory(dataDirectory);
            connectionString = $"Data Source={Path.Combine(dataDirectory, connectionName + ".db")}";
        }
        var usePostgres = IsPostgres(connectionString);
        var finalConnectionString = usePostgres ? TunedForServices(connectionString) : connectionString;

        // Pooled: a request or message leases a context that was built before instead of building its internal services
        // again (issue 19: creating them was 5–8 % of MaterialStorage's and ReviewWorkflow's CPU under load).
        if (usePostgres)
        {
            builder.Services.AddDbContextPool<TDbContext, TPostgreSql>(options => WithOwnOptions<TPostgreSql>(options.UseNpgsql(finalConnectionString)), PoolSize);
        }
        else
        {
            // Busy timeout: concurrent writers wait for the lock instead of failing at once.
            builder.Services.AddDbContextPool<TDbContext, TSqlite>(options =>
                WithOwnOptions<TSqlite>(options.UseSqlite(new SqliteConnectionStringBuilder(finalConnectionString) { DefaultTimeout = 30 }.ToString())), PoolSize);
        }
        builder.Services.AddHostedService<DatabaseMigrator<TDbContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>(connectionName, tags: ["ready"]);
        return builder;
    }

    /// <summary>Contexts kept for reuse; more may be leased at once, the ones over this are simply not kept.</summary>
    private const int PoolSize = 128;

    /// <summary>
    /// Completes a pool's options with what the context type adds (its interceptors, replaced services): a pooled context
    /// may not change its options in OnConfiguring, so they are asked of a throwaway instance, once, when the pool is made.
    /// </summary>
    private static void WithOwnOptions<TContext>(DbContextOptionsBuilder options) where TContext : ServiceDbContext
    {
        using var template = ContextActivator.Create<TContext>(options.Options);
        template.AddOwnOptionsTo(options);
    }

    /// <summary>
    /// Two Npgsql settings for the services' pooled connections (issue 19: PostgreSQL was the largest consumer of CPU per
    /// upload), each added only when the connection string says nothing about it:
    /// <list type="bullet">
    /// <item>A statement is prepared on a connection once it has run there twice, and the 64 most used are kept
    /// (<c>Max Auto Prepare=64;Auto Prepare Min Usages=2</c>): the services send a few dozen statement shapes, each
    /// thousands of times, and a prepared one skips PostgreSQL's parsing and planning. Behind a pooler that cannot
    /// hold prepared statements (PgBouncer before 1.21 in transaction mode) set <c>Max Auto Prepare=0</c>.</item>
    /// <item>A connection going back to the pool is not reset (<c>No Reset On Close=true</c>): the reset is seven
    /// statements (<c>DISCARD TEMP</c>, <c>UNLISTEN *</c>, <c>RESET ALL</c>, …) that Npgsql sends ahead of the next
    /// lease's first command, about 21 times per upload, and they undo session state these connections never set: no <c>SET</c>, no
    /// temporary table, no session-level advisory lock (Notification's is transaction-scoped), and the page listener's
    /// <c>LISTEN</c> has a connection of its own outside the pool. An open transaction is still rolled back when a
    /// connection is closed; the reset is only the rest.</item>
    /// </list>
    /// </summary>
    public static string TunedForServices(string connectionString)
    {
        // Either spelling of the keywords (Max Auto Prepare, MaxAutoPrepare, Auto Prepare Min Usages, No Reset On Close, …).
        var keywords = connectionString.Replace(" ", "", StringComparison.Ordinal);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!keywords.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!keywords.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    public static bool IsPostgres(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase) ||
        connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Applies the service's migrations at start-up, waiting for the database server if it is still coming up.</summary>
internal sealed class DatabaseMigrator<TDbContext>(IServiceProvider services, ILogger<DatabaseMigrator<TDbContext>> logger) : IHostedService
    where TDbContext : ServiceDbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 10,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(5),
                // Only an unreachable server is worth waiting for; a broken migration fails start-up at once. Replicas
                // starting together race to create their database: the loser migrates again into the winner's (EF's
                // migration lock then lets one of them apply the migrations).
                ShouldHandle = new PredicateBuilder().Handle<Npgsql.NpgsqlException>(e => e.IsTransient).Handle<System.Net.Sockets.SocketException>().Handle<TimeoutException>()
                    .Handle<Npgsql.PostgresException>(DatabaseCreatedByAnotherReplica),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "Migrating {Context} failed, retrying", typeof(TDbContext).Name);
                    return default;
                },
            })
            .Build();

        await pipeline.ExecuteAsync(async ct =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            if (db.IsSqlite)
            {
                // WAL lets readers proceed while the relay or a consumer writes.
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
                await db.Database.CloseConnectionAsync();
            }
            await db.Database.MigrateAsync(ct);
        }, cancellationToken);
        logger.LogInformation("Database for {Context} is migrated", typeof(TDbContext).Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Replicas starting together race before EF's migration lock is held: CREATE DATABASE ("already exists", or the
    /// catalog's unique name index caught it first), and the CREATE TABLE IF NOT EXISTS of the migrations history and
    /// lock tables, which PostgreSQL does not serialise (42P07, 42710, or a unique violation on a pg_catalog index);
    /// applying a migration both found pending (42701 on its ADD COLUMN: seen in CI with two Notification replicas);
    /// and recording one (a unique violation on the history's key). The loser migrates again, into the winner's
    /// database, and finds the work done.
    /// </summary>
    private static bool DatabaseCreatedByAnotherReplica(Npgsql.PostgresException e) =>
        e.SqlState is Npgsql.PostgresErrorCodes.DuplicateDatabase or Npgsql.PostgresErrorCodes.DuplicateTable or Npgsql.PostgresErrorCodes.DuplicateObject
            or Npgsql.PostgresErrorCodes.DuplicateColumn
        || (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && e.ConstraintName is { } constraint
            && (constraint.StartsWith("pg_", StringComparison.Ordinal) || constraint == MigrationsHistoryKey));

    // A migration without schema changes (a model-only one, such as a longer declared length of a bytea) meets no
    // catalog conflict, so two replicas that both found it pending both get as far as recording it: the second insert
    // of its history row fails and its transaction, the migration with it, rolls back. Migrating again finds it applied.
    private const string MigrationsHistoryKey = "PK___EFMigrationsHistory";
}
