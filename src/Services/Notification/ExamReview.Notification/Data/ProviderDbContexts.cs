using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Data;

// One context type per database provider, each owning its migration set (Data/Migrations/PostgreSql, Data/Migrations/Sqlite):
// EF Core's documented layout for an application that runs on several providers.

/// <summary>NotificationDbContext on PostgreSQL (the distributed run).</summary>
public sealed class NotificationPostgreSqlDbContext(DbContextOptions<NotificationPostgreSqlDbContext> options) : NotificationDbContext(options);

/// <summary>NotificationDbContext on SQLite (the embedded run).</summary>
public sealed class NotificationSqliteDbContext(DbContextOptions<NotificationSqliteDbContext> options) : NotificationDbContext(options);

/// <summary>Builds <see cref="NotificationPostgreSqlDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class NotificationPostgreSqlDbContextFactory : PostgreSqlDesignTimeFactory<NotificationPostgreSqlDbContext>;

/// <summary>Builds <see cref="NotificationSqliteDbContext"/> for <c>dotnet ef</c>.</summary>
public sealed class NotificationSqliteDbContextFactory : SqliteDesignTimeFactory<NotificationSqliteDbContext>;
