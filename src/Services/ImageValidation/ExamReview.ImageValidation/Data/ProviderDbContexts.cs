using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ImageValidation.Data;

// One context type per database provider, each owning its migration set (Data/Migrations/PostgreSql, Data/Migrations/Sqlite):
// EF Core's documented layout for an application that runs on several providers.

/// <summary>ImageValidationDbContext on PostgreSQL (the distributed run).</summary>
public sealed class ImageValidationPostgreSqlDbContext(DbContextOptions<ImageValidationPostgreSqlDbContext> options) : ImageValidationDbContext(options);

/// <summary>ImageValidationDbContext on SQLite (the embedded run).</summary>
public sealed class ImageValidationSqliteDbContext(DbContextOptions<ImageValidationSqliteDbContext> options) : ImageValidationDbContext(options);

/// <summary>Builds <see cref="ImageValidationPostgreSqlDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class ImageValidationPostgreSqlDbContextFactory : PostgreSqlDesignTimeFactory<ImageValidationPostgreSqlDbContext>;

/// <summary>Builds <see cref="ImageValidationSqliteDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class ImageValidationSqliteDbContextFactory : SqliteDesignTimeFactory<ImageValidationSqliteDbContext>;
