using System.Security.Cryptography;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// A rotation of the personal-data key ends: after the new key becomes current, the start-up re-seal moves every value
/// sealed under the retired key (registrations' ID numbers, the correction history) to the new one, encrypts correction
/// records written before encryption, leaves alone what no key of the ring opens, writes nothing to the provincial feed
/// (nothing a province sees changed), and a second run finds nothing. Then the old key can go.
/// </summary>
public sealed class PersonalDataResealingTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);
    private const string Stranger = "k0:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Damaged = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private ServiceProvider _before = null!;
    private ServiceProvider _rotated = null!;
    private ServiceProvider _oldKeyGone = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _before = Host(new() { ["k1"] = OldKey }, "k1");
        _rotated = Host(new() { ["k1"] = OldKey, ["k2"] = NewKey }, "k2");
        _oldKeyGone = Host(new() { ["k2"] = NewKey }, "k2");
        await using var scope = _before.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _before.DisposeAsync();
        await _rotated.DisposeAsync();
        await _oldKeyGone.DisposeAsync();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task A_rotation_moves_every_value_to_the_new_key_and_the_old_key_can_then_be_removed()
    {
        var numbers = new[] { "430101199001011230", "43010119900101124X", "430101199001011257" };
        var registrations = new List<Guid>();
        foreach (var number in numbers)
        {
            registrations.Add(await AddRegistrationAsync(_before, number));
        }
        var sealedCorrection = await AddCorrectionAsync(_before, registrations[0], "张三", "张叁");
        var legacyCorrection = await AddCorrectionAsync(_before, registrations[1], "13800000000", "13900000000");
        await ExecuteAsync("""UPDATE "RegistrationCorrections" SET "OldValue" = '13800000000', "NewValue" = '13900000000' WHERE "Id" = $id""", legacyCorrection);
        // A value under a key this ring never held (a mistake in the key configuration) is not even looked at.
        var stranger = await AddRegistrationAsync(_before, "110101198001011234");
        await ExecuteAsync($"""UPDATE "Registrations" SET "IdNumber" = '{Stranger}' WHERE "Id" = $id""", stranger);
        // One under the retired key that does not open (damaged): counted, left as it is, and it keeps the key in the ring.
        var damaged = await AddRegistrationAsync(_before, "110101198001011242");
        await ExecuteAsync($"""UPDATE "Registrations" SET "IdNumber" = '{Damaged}' WHERE "Id" = $id""", damaged);
        // A correction with one value from before encryption and the other under a key the ring does not hold: left whole.
        var halfStranger = await AddCorrectionAsync(_before, registrations[2], "张三", "张叁");
        await ExecuteAsync($"""UPDATE "RegistrationCorrections" SET "OldValue" = '张三', "NewValue" = '{Stranger}' WHERE "Id" = $id""", halfStranger);
        var indexes = new List<string?>();
        foreach (var id in registrations)
        {
            indexes.Add(await ScalarAsync("""SELECT "IdNumberIndex" FROM "Registrations" WHERE "Id" = $id""", id));
        }
        var feedBefore = await FeedRowsAsync();

        var outcome = await PersonalDataResealing.RunAsync(_rotated, batchSize: 2, CancellationToken.None);

        Assert.Equal((3, 2, 2), (outcome.Registrations, outcome.Corrections, outcome.Unopenable));
        Assert.Equal(new Dictionary<string, long> { ["k1"] = 1 }, outcome.StillSealedUnder);
        for (var i = 0; i < registrations.Count; i++)
        {
            Assert.StartsWith("k2:", await ScalarAsync("""SELECT "IdNumber" FROM "Registrations" WHERE "Id" = $id""", registrations[i]), StringComparison.Ordinal);
            Assert.Equal(indexes[i], await ScalarAsync("""SELECT "IdNumberIndex" FROM "Registrations" WHERE "Id" = $id""", registrations[i]));
        }
        foreach (var correction in new[] { sealedCorrection, legacyCorrection })
        {
            Assert.StartsWith("k2:", await ScalarAsync("""SELECT "OldValue" FROM "RegistrationCorrections" WHERE "Id" = $id""", correction), StringComparison.Ordinal);
            Assert.StartsWith("k2:", await ScalarAsync("""SELECT "NewValue" FROM "RegistrationCorrections" WHERE "Id" = $id""", correction), StringComparison.Ordinal);
        }
        Assert.Equal(Stranger, await ScalarAsync("""SELECT "IdNumber" FROM "Registrations" WHERE "Id" = $id""", stranger));
        Assert.Equal(Damaged, await ScalarAsync("""SELECT "IdNumber" FROM "Registrations" WHERE "Id" = $id""", damaged));
        Assert.Equal("张三", await ScalarAsync("""SELECT "OldValue" FROM "RegistrationCorrections" WHERE "Id" = $id""", halfStranger));
        Assert.Equal(feedBefore, await FeedRowsAsync());
        var again = await PersonalDataResealing.RunAsync(_rotated, batchSize: 2, CancellationToken.None);
        Assert.Equal((0, 0, 2), (again.Registrations, again.Corrections, again.Unopenable));

        // Once the damaged row is dealt with, the retired key seals nothing and can go.
        await ExecuteAsync("""DELETE FROM "Registrations" WHERE "Id" = $id""", damaged);
        Assert.Equal(new Dictionary<string, long> { ["k1"] = 0 }, (await PersonalDataResealing.RunAsync(_rotated, batchSize: 2, CancellationToken.None)).StillSealedUnder);
        await using var scope = _oldKeyGone.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        for (var i = 0; i < registrations.Count; i++)
        {
            Assert.Equal(numbers[i], (await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == registrations[i])).IdNumber);
            Assert.Equal(registrations[i], (await db.RegistrationsWithIdNumber(numbers[i]).AsNoTracking().SingleAsync()).Id);
        }
        var corrections = await db.Corrections.AsNoTracking().Where(c => c.Id != halfStranger).OrderBy(c => c.CorrectedAt).ToListAsync();
        Assert.Equal([("张三", "张叁"), ("13800000000", "13900000000")], corrections.Select(c => (c.OldValue, c.NewValue)));
    }

    [Fact]
    public async Task Without_a_retired_key_only_correction_records_written_before_encryption_are_sealed()
    {
        var registration = await AddRegistrationAsync(_before, "430101199001011230");
        var stored = await ScalarAsync("""SELECT "IdNumber" FROM "Registrations" WHERE "Id" = $id""", registration);
        var legacy = await AddCorrectionAsync(_before, registration, "张三", "张叁");
        await ExecuteAsync("""UPDATE "RegistrationCorrections" SET "OldValue" = '张三', "NewValue" = '张叁' WHERE "Id" = $id""", legacy);

        var outcome = await PersonalDataResealing.RunAsync(_before, batchSize: 10, CancellationToken.None);

        Assert.Equal((0, 1, 0), (outcome.Registrations, outcome.Corrections, outcome.Unopenable));
        Assert.Empty(outcome.StillSealedUnder);
        Assert.Equal(stored, await ScalarAsync("""SELECT "IdNumber" FROM "Registrations" WHERE "Id" = $id""", registration));
        Assert.StartsWith("k1:", await ScalarAsync("""SELECT "OldValue" FROM "RegistrationCorrections" WHERE "Id" = $id""", legacy), StringComparison.Ordinal);
        await using var scope = _before.CreateAsyncScope();
        var correction = await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Corrections.AsNoTracking().SingleAsync(c => c.Id == legacy);
        Assert.Equal(("张三", "张叁"), (correction.OldValue, correction.NewValue));
    }

    [Fact]
    public async Task A_real_change_of_the_number_still_reaches_the_provincial_feed()
    {
        var registration = await AddRegistrationAsync(_before, "430101199001011230");
        var feedBefore = await FeedRowsAsync();
        await using (var scope = _rotated.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            (await db.Registrations.SingleAsync(r => r.Id == registration)).IdNumber = "43010119900101124X";
            await db.SaveChangesAsync();
        }
        Assert.Equal(feedBefore + 1, await FeedRowsAsync());
    }

    private ServiceProvider Host(Dictionary<string, byte[]> keys, string current)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new IdNumberProtector(keys, current, IndexKey));
        services.AddDbContext<RegistrationDbContext, RegistrationSqliteDbContext>(options => options.UseSqlite(_connection));
        return services.BuildServiceProvider();
    }

    private static async Task<Guid> AddRegistrationAsync(IServiceProvider host, string idNumber)
    {
        await using var scope = host.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var registration = TestRegistrations.New(idNumber);
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return registration.Id;
    }

    private static async Task<Guid> AddCorrectionAsync(IServiceProvider host, Guid registrationId, string oldValue, string newValue)
    {
        await using var scope = host.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var correction = new RegistrationCorrection
        {
            Id = Guid.CreateVersion7(),
            RegistrationId = registrationId,
            CandidateId = Guid.NewGuid(),
            Field = "fullName",
            OldValue = oldValue,
            NewValue = newValue,
            Reason = "证件信息录入错误",
            CorrectedBy = "operator-1",
            CorrectedAt = DateTimeOffset.UtcNow,
        };
        db.Corrections.Add(correction);
        await db.SaveChangesAsync();
        return correction.Id;
    }

    private async Task<int> FeedRowsAsync()
    {
        await using var scope = _before.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Set<FeedEntry>().CountAsync();
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<string?> ScalarAsync(string sql, Guid id)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        return await command.ExecuteScalarAsync() as string;
    }
}
