using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamReview.ServiceDefaults.Persistence;

/// <summary>Which failed commits lost a race to another request, on either database provider.</summary>
public static class WriteConflicts
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>
    /// True when another write won: a concurrency token changed meanwhile, or a unique key was taken first. Such a
    /// commit is answered as a conflict. Anything else (a foreign key, a value too long, the database unreachable) is
    /// a fault, and a handler must let it reach the problem handler rather than dress it up as a conflict.
    /// </summary>
    public static bool IsLostRace(this DbUpdateException exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        { InnerException: PostgresException postgres } => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        { InnerException: SqliteException sqlite } => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ => false,
    };
}
