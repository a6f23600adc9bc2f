using System.Security.Cryptography;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Issue 15 item 4: registrations stored before encryption (plaintext number, no blind index) are encrypted and indexed
/// by the start-up backfill, in batches, once — a second run finds nothing to do.
/// </summary>
public sealed class IdNumberBackfillTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private ServiceProvider _host = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        var services = new ServiceCollection();
        services.AddSingleton(new IdNumberProtector(new Dictionary<string, byte[]> { ["k1"] = Key }, "k1", IndexKey));
        services.AddDbContext<RegistrationDbContext, RegistrationSqliteDbContext>(options => options.UseSqlite(_connection));
        _host = services.BuildServiceProvider();
        await using var scope = _host.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task Legacy_plaintext_rows_are_encrypted_and_indexed_in_batches_and_a_second_run_changes_nothing()
    {
        var legacy = new List<(Guid Id, string Number)>();
        for (var i = 0; i < 5; i++)
        {
            var number = $"43010119900101{i:D3}X";
            legacy.Add((await AddAsync(number), number));
            await ExecuteAsync("""UPDATE "Registrations" SET "IdNumber" = $number, "IdNumberIndex" = NULL WHERE "Id" = $id""", legacy[^1].Id, number);
        }
        var current = await AddAsync("110101198001011234");
        var currentStored = (await RawAsync(current)).Stored;
        foreach (var (id, number) in legacy)
        {
            Assert.Equal((number, (string?)null), await RawAsync(id));
        }

        var encrypted = await IdNumberBackfill.RunAsync(_host, batchSize: 2, CancellationToken.None);

        Assert.Equal(5, encrypted);
        await using var scope = _host.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        foreach (var (id, number) in legacy)
        {
            var (stored, index) = await RawAsync(id);
            Assert.StartsWith("k1:", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("0101", stored, StringComparison.Ordinal);
            Assert.NotNull(index);
            Assert.Equal(id, (await db.RegistrationsWithIdNumber(number).AsNoTracking().SingleAsync()).Id);
            Assert.Equal(number, (await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == id)).IdNumber);
        }
        // Rows already encrypted are not touched (same ciphertext, same nonce), and a second run finds nothing.
        Assert.Equal(currentStored, (await RawAsync(current)).Stored);
        var afterFirst = await StoredAsync(legacy);
        Assert.Equal(0, await IdNumberBackfill.RunAsync(_host, batchSize: 2, CancellationToken.None));
        Assert.Equal(afterFirst, await StoredAsync(legacy));
    }

    private async Task<Guid> AddAsync(string idNumber)
    {
        await using var scope = _host.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var registration = TestRegistrations.New(idNumber);
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return registration.Id;
    }

    private async Task<List<string>> StoredAsync(IEnumerable<(Guid Id, string Number)> rows)
    {
        var stored = new List<string>();
        foreach (var (id, _) in rows)
        {
            stored.Add((await RawAsync(id)).Stored);
        }
        return stored;
    }

    private async Task ExecuteAsync(string sql, Guid id, string number)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$number", number);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<(string Stored, string? Index)> RawAsync(Guid id)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = """SELECT "IdNumber", "IdNumberIndex" FROM "Registrations" WHERE "Id" = $id""";
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the registration row exists");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
