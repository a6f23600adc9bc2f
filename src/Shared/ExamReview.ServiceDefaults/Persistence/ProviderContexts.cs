using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExamReview.ServiceDefaults.Persistence;

// The database providers a service runs on each have their own migration set: EF Core's documented layout for several
// providers ("multiple context types"). A service's DbContext stays one class; a small subclass per provider gives
// each migration set its own context type, and `dotnet ef` builds each through the design-time factories below.
// Generate with scripts/migrations.sh add <Name>.

/// <summary>Creates a provider context from options, the way the design-time factories and the host both need.</summary>
internal static class ContextActivator
{
    public static TContext Create<TContext>(DbContextOptions options) where TContext : ServiceDbContext =>
        (TContext)(Activator.CreateInstance(typeof(TContext), options)
            ?? throw new InvalidOperationException($"{typeof(TContext).Name} needs a constructor taking DbContextOptions."));
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without a server (nothing connects while scaffolding).</summary>
public abstract class PostgreSqlDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext> where TContext : ServiceDbContext
{
    public TContext CreateDbContext(string[] args) =>
        ContextActivator.Create<TContext>(new DbContextOptionsBuilder<TContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context (an in-memory database: nothing is written while scaffolding).</summary>
public abstract class SqliteDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext> where TContext : ServiceDbContext
{
    public TContext CreateDbContext(string[] args) =>
        ContextActivator.Create<TContext>(new DbContextOptionsBuilder<TContext>().UseSqlite("Data Source=:memory:").Options);
}
