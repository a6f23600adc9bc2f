using System.Security.Cryptography;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
