using System.Security.Cryptography;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Registration's database on its real SQLite migrations, in memory and of the test class's own, for tests that
/// interleave commits by hand (each scope is one request or consumer) or need a row as it is stored.
/// </summary>
public abstract class RegistrationSqliteTest : IAsyncLifetime, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private ServiceProvider _host = null!;

    /// <summary>The migration to stop at (null: the latest), for a test that writes rows as an older schema held them.</summary>
    protected virtual string? MigrateTo => null;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        var services = new ServiceCollection();
        services.AddSingleton(new IdNumberProtector(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", RandomNumberGenerator.GetBytes(32)));
        services.AddDbContext<RegistrationDbContext, RegistrationSqliteDbContext>(options => options.UseSqlite(_connection));
        _host = services.BuildServiceProvider();
        await using var scope = _host.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().GetService<IMigrator>().MigrateAsync(MigrateTo);
    }

    protected IServiceScope CreateScope() => _host.CreateScope();

    /// <summary>
    /// Writes rows through today's model onto the older schema <see cref="MigrateTo"/> stopped at. The columns later
    /// migrations add to <paramref name="table"/> exist (bare, nullable) only while <paramref name="write"/> runs, so the
    /// rows are stored as the older schema held them and the later migrations add those columns themselves.
    /// </summary>
    protected async Task WriteOnOlderSchemaAsync(string table, Func<RegistrationDbContext, Task> write)
    {
        await using var scope = CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var columns = $"SELECT name AS Value FROM pragma_table_info('{table}')";
        var existing = await db.Database.SqlQueryRaw<string>(columns).ToListAsync();
        var store = StoreObjectIdentifier.Table(table);
        var missing = db.Model.GetEntityTypes().Where(e => e.GetTableName() == table)
            .SelectMany(e => e.GetProperties()).Select(p => p.GetColumnName(store)).OfType<string>()
            .Distinct().Where(column => !existing.Contains(column)).ToList();
        foreach (var column in missing)
        {
            var add = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\"";
            await db.Database.ExecuteSqlRawAsync(add);
        }
        await write(db);
        foreach (var column in missing)
        {
            var drop = $"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\"";
            await db.Database.ExecuteSqlRawAsync(drop);
        }
    }

    protected AsyncServiceScope CreateAsyncScope() => _host.CreateAsyncScope();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _host?.Dispose();
            _connection.Dispose();
        }
    }
}
