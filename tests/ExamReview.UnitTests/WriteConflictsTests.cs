using ExamReview.ServiceDefaults.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamReview.UnitTests;

/// <summary>Only a lost race is answered as a conflict; any other failed commit stays a fault.</summary>
public sealed class WriteConflictsTests
{
    [Fact]
    public void A_changed_version_or_a_taken_unique_key_is_a_lost_race_on_either_provider()
    {
        Assert.True(new DbUpdateConcurrencyException("version changed").IsLostRace());
        Assert.True(Failed(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)).IsLostRace());
        Assert.True(Failed(new SqliteException("UNIQUE constraint failed", 19, 2067)).IsLostRace());
        Assert.True(Failed(new SqliteException("PRIMARY KEY constraint failed", 19, 1555)).IsLostRace());
    }

    [Fact]
    public void A_foreign_key_a_long_value_or_a_lost_connection_is_a_fault_not_a_conflict()
    {
        Assert.False(Failed(new PostgresException("violates foreign key", "ERROR", "ERROR", PostgresErrorCodes.ForeignKeyViolation)).IsLostRace());
        Assert.False(Failed(new PostgresException("value too long", "ERROR", "ERROR", PostgresErrorCodes.StringDataRightTruncation)).IsLostRace());
        Assert.False(Failed(new SqliteException("FOREIGN KEY constraint failed", 19, 787)).IsLostRace());
        Assert.False(Failed(new SqliteException("database is locked", 5, 5)).IsLostRace());
        Assert.False(Failed(new InvalidOperationException("connection lost")).IsLostRace());
    }

    private static DbUpdateException Failed(Exception inner) => new("An error occurred while saving the entity changes.", inner);
}
