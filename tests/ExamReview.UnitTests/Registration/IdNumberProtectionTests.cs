using System.Security.Cryptography;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>ID numbers at rest: encrypted (no plaintext in the column), readable across a key rotation, found by the blind index.</summary>
public sealed class IdNumberProtectionTests : IAsyncLifetime, IDisposable
{
    private const string Number = "43010119900101123X";
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);

    // One in-memory database shared by the "hosts" of a test: it lives as long as this connection is open.
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var host = Host(new() { ["k1"] = Key1 }, "k1");
        await host.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task The_stored_column_holds_no_plaintext_and_reads_back_decrypted()
    {
        await using var host = Host(new() { ["k1"] = Key1 }, "k1");
        var registration = await AddAsync(host, Number);

        var (stored, index) = await RawAsync(registration.Id);
        Assert.StartsWith("k1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("4301011990", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("0101123", stored, StringComparison.Ordinal);
        Assert.Equal(64, index.Length);
        Assert.DoesNotContain("0101123", index, StringComparison.Ordinal);

        await using var reader = Host(new() { ["k1"] = Key1 }, "k1");
        var read = await reader.GetRequiredService<RegistrationDbContext>().Registrations.AsNoTracking().SingleAsync(r => r.Id == registration.Id);
        Assert.Equal(Number, read.IdNumber);
    }

    [Fact]
    public async Task A_value_written_under_the_old_key_reads_after_the_new_key_becomes_current()
    {
        Guid oldId;
        await using (var before = Host(new() { ["k1"] = Key1 }, "k1"))
        {
            oldId = (await AddAsync(before, Number)).Id;
        }

        await using var after = Host(new() { ["k1"] = Key1, ["k2"] = Key2 }, "k2");
        var newId = (await AddAsync(after, "110101198001011234")).Id;
        var db = after.GetRequiredService<RegistrationDbContext>();
        Assert.Equal(Number, (await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == oldId)).IdNumber);
        Assert.Equal("110101198001011234", (await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == newId)).IdNumber);
        Assert.StartsWith("k1:", (await RawAsync(oldId)).Stored, StringComparison.Ordinal);
        Assert.StartsWith("k2:", (await RawAsync(newId)).Stored, StringComparison.Ordinal);

        // Once the old key is removed, its rows no longer read: rotation means re-encrypting before removing a key.
        await using var withoutOld = Host(new() { ["k2"] = Key2 }, "k2");
        await Assert.ThrowsAsync<CryptographicException>(() =>
            withoutOld.GetRequiredService<RegistrationDbContext>().Registrations.AsNoTracking().SingleAsync(r => r.Id == oldId));
    }

    [Fact]
    public async Task Lookup_by_number_goes_through_the_blind_index_and_follows_a_correction()
    {
        await using var host = Host(new() { ["k1"] = Key1 }, "k1");
        var wanted = await AddAsync(host, Number);
        await AddAsync(host, "440301199505051111");

        var db = host.GetRequiredService<RegistrationDbContext>();
        var found = await db.RegistrationsWithIdNumber(" 43010119900101123x ").AsNoTracking().SingleAsync();
        Assert.Equal(wanted.Id, found.Id);
        Assert.Contains("IdNumberIndex", db.RegistrationsWithIdNumber(Number).ToQueryString(), StringComparison.Ordinal);

        using (var scope = host.CreateScope())
        {
            var writer = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            var tracked = await writer.Registrations.SingleAsync(r => r.Id == wanted.Id);
            var (refusal, _) = tracked.Correct(new Dictionary<string, string> { [CorrectableFields.IdNumber] = "430101199001011247" }, "核对身份证", "site:4301", DateTimeOffset.UtcNow);
            Assert.Equal(CorrectionRefusal.None, refusal);
            await writer.SaveChangesAsync();
        }
        using var after = host.CreateScope();
        var reread = after.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        Assert.False(await reread.RegistrationsWithIdNumber(Number).AnyAsync());
        Assert.Equal(wanted.Id, (await reread.RegistrationsWithIdNumber("430101199001011247").SingleAsync()).Id);
    }

    private ServiceProvider Host(Dictionary<string, byte[]> keys, string current)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new IdNumberProtector(keys, current, IndexKey));
        services.AddDbContext<RegistrationDbContext, RegistrationSqliteDbContext>(options => options.UseSqlite(_connection));
        return services.BuildServiceProvider();
    }

    private static async Task<CandidateRegistration> AddAsync(ServiceProvider host, string idNumber)
    {
        using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var registration = TestRegistrations.New(idNumber);
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return registration;
    }

    private async Task<(string Stored, string Index)> RawAsync(Guid id)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = """SELECT "IdNumber", "IdNumberIndex" FROM "Registrations" WHERE "Id" = $id""";
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the registration row exists");
        return (reader.GetString(0), reader.GetString(1));
    }
}
