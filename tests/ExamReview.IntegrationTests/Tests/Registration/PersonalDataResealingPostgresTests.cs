using System.Security.Cryptography;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>
/// The start-up re-seal on PostgreSQL (its selection is hand-written SQL: substr, LIKE and LIMIT on the server that runs
/// in production): after a rotation every ID number and correction value moves to the new key, in batches, and the
/// old key can be removed. The unit tests cover the same on SQLite.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PersonalDataResealingPostgresTests(PostgresContainer postgres)
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task After_a_rotation_every_value_is_sealed_under_the_new_key_and_reads_without_the_old_one()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = $"er_reseal_{Guid.NewGuid():N}"[..24] }.ConnectionString;
        await using var before = Host(connectionString, new() { ["k1"] = OldKey }, "k1");
        await using var rotated = Host(connectionString, new() { ["k1"] = OldKey, ["k2"] = NewKey }, "k2");
        await using var oldKeyGone = Host(connectionString, new() { ["k2"] = NewKey }, "k2");
        try
        {
            await using (var scope = before.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
            }
            var numbers = Enumerable.Range(0, 5).Select(i => $"43010119900101{i:D3}X").ToList();
            var ids = new List<Guid>();
            await using (var scope = before.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
                foreach (var number in numbers)
                {
                    var registration = Registration(number);
                    ids.Add(registration.Id);
                    db.Registrations.Add(registration);
                    db.Corrections.Add(Correction(registration, "张三", "张叁"));
                }
                await db.SaveChangesAsync();
            }
            await using var sql = new NpgsqlConnection(connectionString);
            await sql.OpenAsync();
            // One correction record from before encryption.
            await using (var legacy = new NpgsqlCommand("""UPDATE "RegistrationCorrections" SET "OldValue" = '张三' WHERE "RegistrationId" = $1""", sql))
            {
                legacy.Parameters.AddWithValue(ids[0]);
                Assert.Equal(1, await legacy.ExecuteNonQueryAsync());
            }

            var outcome = await PersonalDataResealing.RunAsync(rotated, batchSize: 2, CancellationToken.None);

            Assert.Equal((5, 5, 0), (outcome.Registrations, outcome.Corrections, outcome.Unopenable));
            Assert.Equal(new Dictionary<string, long> { ["k1"] = 0 }, outcome.StillSealedUnder);
            await using (var stored = new NpgsqlCommand("""
                SELECT count(*) FILTER (WHERE "IdNumber" LIKE 'k2:%') FROM "Registrations";
                SELECT count(*) FILTER (WHERE "OldValue" LIKE 'k2:%' AND "NewValue" LIKE 'k2:%') FROM "RegistrationCorrections";
                """, sql))
            await using (var reader = await stored.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal(5, reader.GetInt64(0));
                Assert.True(await reader.NextResultAsync() && await reader.ReadAsync());
                Assert.Equal(5, reader.GetInt64(0));
            }
            var again = await PersonalDataResealing.RunAsync(rotated, batchSize: 2, CancellationToken.None);
            Assert.Equal((0, 0, 0), (again.Registrations, again.Corrections, again.Unopenable));

            await using (var scope = oldKeyGone.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
                for (var i = 0; i < ids.Count; i++)
                {
                    Assert.Equal(ids[i], (await db.RegistrationsWithIdNumber(numbers[i]).AsNoTracking().SingleAsync()).Id);
                    Assert.Equal(numbers[i], (await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == ids[i])).IdNumber);
                }
                Assert.All(await db.Corrections.AsNoTracking().ToListAsync(), c => Assert.Equal(("张三", "张叁"), (c.OldValue, c.NewValue)));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(postgres.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_deployment_that_ran_on_derived_keys_moves_onto_configured_ones_and_still_finds_its_candidates()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = $"er_upgrade_{Guid.NewGuid():N}"[..24] }.ConnectionString;
        var signing = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var configured = new Dictionary<string, string?>
        {
            ["Registration:IdNumber:Keys:k1"] = Convert.ToBase64String(NewKey),
            ["Registration:IdNumber:IndexKey"] = Convert.ToBase64String(IndexKey),
        };
        await using var derived = ConfiguredHost(connectionString, signing, []);
        await using var moving = ConfiguredHost(connectionString, signing, new(configured) { ["Registration:IdNumber:KeepDerivedKeys"] = "true" });
        await using var moved = ConfiguredHost(connectionString, signing, configured);
        try
        {
            const string number = "43010119900101123X";
            var registration = Registration(number);
            await using (var scope = derived.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
                await db.Database.MigrateAsync();
                db.Registrations.Add(registration);
                await db.SaveChangesAsync();
            }

            var outcome = await PersonalDataResealing.RunAsync(moving, batchSize: 10, CancellationToken.None);

            Assert.Equal((1, 0), (outcome.Registrations, outcome.Unopenable));
            Assert.Equal(new Dictionary<string, long> { ["auth0"] = 0 }, outcome.StillSealedUnder);
            // Without the derived keys: the number reads, and the blind index (recomputed under the configured index key) finds it.
            await using var after = moved.CreateAsyncScope();
            var found = await after.ServiceProvider.GetRequiredService<RegistrationDbContext>().RegistrationsWithIdNumber(number).AsNoTracking().SingleAsync();
            Assert.Equal((registration.Id, number), (found.Id, found.IdNumber));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(postgres.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Registration's key ring as the service loads it from configuration (IdNumberKeys), on PostgreSQL.</summary>
    private static ServiceProvider ConfiguredHost(string connectionString, string signingKey, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:registrationdb"] = connectionString,
            ["Auth:SigningKeys:0"] = signingKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(sp => IdNumberKeys.Create(sp, "registrationdb"));
        services.AddDbContext<RegistrationDbContext, RegistrationPostgreSqlDbContext>(options => options.UseNpgsql(connectionString));
        return services.BuildServiceProvider();
    }

    private static ServiceProvider Host(string connectionString, Dictionary<string, byte[]> keys, string current)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new IdNumberProtector(keys, current, IndexKey));
        services.AddDbContext<RegistrationDbContext, RegistrationPostgreSqlDbContext>(options => options.UseNpgsql(connectionString));
        return services.BuildServiceProvider();
    }

    private static CandidateRegistration Registration(string idNumber) => new()
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

    private static RegistrationCorrection Correction(CandidateRegistration registration, string oldValue, string newValue) => new()
    {
        Id = Guid.CreateVersion7(),
        RegistrationId = registration.Id,
        CandidateId = registration.CandidateId,
        Field = "fullName",
        OldValue = oldValue,
        NewValue = newValue,
        Reason = "证件信息录入错误",
        CorrectedBy = "operator-1",
        CorrectedAt = DateTimeOffset.UtcNow,
    };
}
