using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Data;

// One context type per database provider, each owning its migration set (Data/Migrations/PostgreSql, Data/Migrations/Sqlite):
// EF Core's documented layout for an application that runs on several providers.

/// <summary>ReviewDbContext on PostgreSQL (the distributed run).</summary>
public sealed class ReviewPostgreSqlDbContext(DbContextOptions<ReviewPostgreSqlDbContext> options) : ReviewDbContext(options);

/// <summary>ReviewDbContext on SQLite (the embedded run).</summary>
public sealed class ReviewSqliteDbContext(DbContextOptions<ReviewSqliteDbContext> options) : ReviewDbContext(options);

/// <summary>Builds <see cref="ReviewPostgreSqlDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class ReviewPostgreSqlDbContextFactory : PostgreSqlDesignTimeFactory<ReviewPostgreSqlDbContext>;

/// <summary>Builds <see cref="ReviewSqliteDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class ReviewSqliteDbContextFactory : SqliteDesignTimeFactory<ReviewSqliteDbContext>;
