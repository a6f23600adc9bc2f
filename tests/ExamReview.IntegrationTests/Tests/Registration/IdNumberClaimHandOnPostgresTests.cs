using System.Security.Cryptography;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>
/// A claim a correction releases is handed on, on PostgreSQL (which checks the claims' keys and the unique holder
/// index statement by statement): the holder moves to its real number and the earliest copy still carrying the old one
/// takes it, in one commit. The unit tests cover the same, and the choice, on SQLite.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IdNumberClaimHandOnPostgresTests(PostgresContainer postgres)
{
    private static readonly DateTimeOffset T0 = new(2027, 1, 5, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Correcting_the_holder_hands_its_old_number_to_the_earliest_copy_in_the_same_commit()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = $"er_handon_{Guid.NewGuid():N}"[..24] }.ConnectionString;
        var services = new ServiceCollection();
        services.AddSingleton(new IdNumberProtector(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", RandomNumberGenerator.GetBytes(32)));
        services.AddDbContext<RegistrationDbContext, RegistrationPostgreSqlDbContext>(options => options.UseNpgsql(connectionString));
        await using var host = services.BuildServiceProvider();
        try
        {
            var copied = TestIdNumbers.New("43");
            var real = TestIdNumbers.New("43");
            var original = Registration(copied, T0);
            var later = Registration(copied, T0.AddMinutes(9));
            var earlier = Registration(copied, T0.AddMinutes(3));
            await using (var scope = host.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
                await db.Database.MigrateAsync();
                // As the claims migration leaves a number registered several times before the rule: its earliest holds it.
                db.Registrations.AddRange(original, later, earlier);
                await db.ClaimIdNumberAsync(original, T0, CancellationToken.None);
                await db.SaveChangesAsync();
            }

            await using (var scope = host.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
                var registration = await db.Registrations.SingleAsync(r => r.Id == original.Id);
                var (refusal, _) = registration.Correct(new Dictionary<string, string> { [CorrectableFields.IdNumber] = real }, "核对身份证", "site-4301", T0.AddDays(1),
                    await db.IdNumberHolderAsync(2027, real, CancellationToken.None));
                Assert.Equal(CorrectionRefusal.None, refusal);
                await db.ClaimIdNumberAsync(registration, T0.AddDays(1), CancellationToken.None);
                await db.SaveChangesAsync();
            }

            await using (var scope = host.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
                Assert.Equal((original.Id, earlier.Id), (await db.IdNumberHolderAsync(2027, real, CancellationToken.None), await db.IdNumberHolderAsync(2027, copied, CancellationToken.None)));
                Assert.Equal([earlier.Id], await db.RegistrationsHoldingIdNumber(copied).Select(r => r.Id).ToListAsync());
                Assert.False(await db.IdNumberClaims.AnyAsync(c => c.RegistrationId == later.Id));
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

    private static CandidateRegistration Registration(string idNumber, DateTimeOffset createdAt) => new()
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
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}
