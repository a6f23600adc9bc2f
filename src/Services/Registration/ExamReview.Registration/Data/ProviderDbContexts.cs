using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Data;

// One context type per database provider, each owning its migration set (Data/Migrations/PostgreSql, Data/Migrations/Sqlite):
// EF Core's documented layout for an application that runs on several providers.

/// <summary>RegistrationDbContext on PostgreSQL (the distributed run).</summary>
public sealed class RegistrationPostgreSqlDbContext(DbContextOptions<RegistrationPostgreSqlDbContext> options) : RegistrationDbContext(options);

/// <summary>RegistrationDbContext on SQLite (the embedded run).</summary>
public sealed class RegistrationSqliteDbContext(DbContextOptions<RegistrationSqliteDbContext> options) : RegistrationDbContext(options);

/// <summary>Builds <see cref="RegistrationPostgreSqlDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class RegistrationPostgreSqlDbContextFactory : PostgreSqlDesignTimeFactory<RegistrationPostgreSqlDbContext>;

/// <summary>Builds <see cref="RegistrationSqliteDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class RegistrationSqliteDbContextFactory : SqliteDesignTimeFactory<RegistrationSqliteDbContext>;
