using System.Security.Cryptography;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// Migration <c>AccountsDateUndatedFailures</c> on both providers: a database as it stood before it, holding an account
/// whose failures have no time (written before <c>LastFailedAt</c> existed), one whose failures are dated and one without
/// failures, is migrated; only the undated count gets a time — the migration's — so it still counts within the window
/// after the upgrade and stops counting one window later.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UndatedFailuresMigrationTests(PostgresContainer postgres)
{
    private const string Previous = "_AccountsIdNumberThrottles";
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    [Theory]
    [InlineData(nameof(DatabaseProvider.PostgreSql))]
    [InlineData(nameof(DatabaseProvider.Sqlite))]
    public async Task Undated_failures_are_dated_at_the_migration_and_age_out_one_window_later(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(Enum.Parse<DatabaseProvider>(provider), postgres.ConnectionString);
        await using var protection = new ServiceCollection()
            .AddSingleton(new IdNumberProtector(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", RandomNumberGenerator.GetBytes(32)))
            .BuildServiceProvider();
        var monthAgo = DateTimeOffset.UtcNow.AddDays(-30);
        Guid undated, dated, clean;
        await using (var db = Create(database, protection))
        {
            // The rows are written through the current model on the current schema, then the schema is stepped back to
            // how it stood before the migration (later migrations add columns and tables the current model writes, and
            // their Down steps drop them with the rows kept), so the old database holds what an old host wrote.
            await db.Database.MigrateAsync();
            undated = await AccountAsync(db, "43010219900307001X", failures: 4, monthAgo);
            dated = await AccountAsync(db, "43010219900307002X", failures: 2, monthAgo);
            clean = await AccountAsync(db, "43010219900307003X", failures: 0, monthAgo);
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith(Previous, StringComparison.Ordinal)));
            await db.Database.ExecuteSqlRawAsync("UPDATE \"CandidateAccounts\" SET \"LastFailedAt\" = NULL WHERE \"FailedAttempts\" = 4");
        }

        var before = DateTimeOffset.UtcNow.AddSeconds(-2); // SQLite's clock has whole seconds
        await using (var db = Create(database, protection))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        var after = DateTimeOffset.UtcNow.AddSeconds(2);

        await using var read = Create(database, protection);
        var accounts = await read.Accounts().AsNoTracking().ToDictionaryAsync(a => a.CandidateId);
        var migratedAt = accounts[undated].LastFailedAt!.Value;
        Assert.InRange(migratedAt, before, after);
        Assert.Equal((4, TimeSpan.Zero), (accounts[undated].FailedAttempts, migratedAt.Offset));
        Assert.Equal(monthAgo.AddSeconds(1).ToUnixTimeMilliseconds(), accounts[dated].LastFailedAt!.Value.ToUnixTimeMilliseconds());
        Assert.Null(accounts[clean].LastFailedAt);

        // Within the window after the upgrade the four still count (the fifth locks); one window later they do not.
        var soon = await read.Accounts().AsNoTracking().SingleAsync(a => a.CandidateId == undated);
        Assert.Equal("account_locked", soon.SignInWithPassword("Wrong#soon", Hasher, migratedAt.AddHours(1)).Refusal!.Code);
        var later = await read.Accounts().AsNoTracking().SingleAsync(a => a.CandidateId == undated);
        var wrong = later.SignInWithPassword("Wrong#later", Hasher, migratedAt + AccountPolicy.FailureWindow);
        Assert.Equal("invalid_credentials", wrong.Refusal!.Code);
        Assert.Equal(1, later.FailedAttempts);
    }

    private static RegistrationDbContext Create(ScratchDatabase database, IServiceProvider protection)
    {
        // As ServiceContexts.Create, with the host's key ring, so registrations (whose ID number is sealed) can be written.
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            return new RegistrationPostgreSqlDbContext(new DbContextOptionsBuilder<RegistrationPostgreSqlDbContext>()
                .UseNpgsql(database.ConnectionString).UseApplicationServiceProvider(protection).Options);
        }
        return new RegistrationSqliteDbContext(new DbContextOptionsBuilder<RegistrationSqliteDbContext>()
            .UseSqlite(database.ConnectionString).UseApplicationServiceProvider(protection).Options);
    }

    // A registration and its activated account with `failures` wrong passwords, one a second from `at`.
    private static async Task<Guid> AccountAsync(RegistrationDbContext db, string idNumber, int failures, DateTimeOffset at)
    {
        var registration = new CandidateRegistration
        {
            Id = Guid.CreateVersion7(),
            CandidateId = Guid.NewGuid(),
            RegistrationNumber = $"202743{RandomNumberGenerator.GetInt32(0, 100_000_000):D8}",
            ExamYear = 2027,
            AreaCode = "43",
            SiteCode = "4301",
            ExamCategory = "practitioner-clinical",
            FullName = "张三",
            IdNumber = idNumber,
            MobileNumber = "13800000000",
        };
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        var (account, _) = registration.ActivateAccount("Yikao#2027", Hasher, at);
        db.Accounts().Add(account!);
        for (var i = 0; i < failures; i++)
        {
            account!.SignInWithPassword($"Wrong#{i}pass", Hasher, at.AddSeconds(i));
        }
        await db.SaveChangesAsync();
        return account!.CandidateId;
    }
}
