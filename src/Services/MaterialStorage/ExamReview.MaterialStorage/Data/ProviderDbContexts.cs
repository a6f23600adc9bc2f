using ExamReview.MaterialStorage.Pages;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Data;

// One context type per database provider, each owning its migration set (Data/Migrations/PostgreSql, Data/Migrations/Sqlite):
// EF Core's documented layout for an application that runs on several providers.

/// <summary>MaterialStorageDbContext on PostgreSQL (the distributed run).</summary>
public sealed class MaterialStoragePostgreSqlDbContext(DbContextOptions<MaterialStoragePostgreSqlDbContext> options) : MaterialStorageDbContext(options);

/// <summary>MaterialStorageDbContext on SQLite (the embedded run), which tells waiting pages of its own commits.</summary>
public sealed class MaterialStorageSqliteDbContext(DbContextOptions<MaterialStorageSqliteDbContext> options) : MaterialStorageDbContext(options)
{
    protected override void AddOptions(DbContextOptionsBuilder optionsBuilder)
    {
        base.AddOptions(optionsBuilder);
        optionsBuilder.AddInterceptors(SqlitePageChangeInterceptor.Instance);
    }
}

/// <summary>Builds <see cref="MaterialStoragePostgreSqlDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class MaterialStoragePostgreSqlDbContextFactory : PostgreSqlDesignTimeFactory<MaterialStoragePostgreSqlDbContext>;

/// <summary>Builds <see cref="MaterialStorageSqliteDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class MaterialStorageSqliteDbContextFactory : SqliteDesignTimeFactory<MaterialStorageSqliteDbContext>;
