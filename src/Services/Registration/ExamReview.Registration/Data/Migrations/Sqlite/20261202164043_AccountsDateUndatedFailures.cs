using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Registration.Data.Migrations.Sqlite
{
    /// <summary>
    /// Data only: dates the sign-in failures of accounts written before <c>LastFailedAt</c> existed, so that they stop
    /// counting after <c>AccountPolicy.FailureWindow</c> like every other failure instead of never.
    /// </summary>
    /// <remarks>
    /// They are dated at the time this migration runs, because when they really happened is unknown: the migration's
    /// time is the latest it can have been, so they keep counting for one more window (a guesser who was half-way to the
    /// lock at the upgrade still is) and then age out, one window after the upgrade. The audit log's failure rows
    /// are no better clock: a wrong reset code is logged with the same kind and never counted. Only CandidateAccounts
    /// needs it: IdNumberThrottles was created with the column, and its one writer always sets both. A row this misses
    /// is handled by the domain (<c>LockOut.StillCounting</c> treats an undated count as spent). Down has nothing to
    /// undo: which rows had no time is not kept, and a time on a count is what the current model expects anyway.
    /// </remarks>
    public partial class AccountsDateUndatedFailures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The column holds EF Core's DateTimeOffsetToBinaryConverter value: (ticks / 1000) << 11 | offset minutes.
            // Ticks since 0001-01-01 are (Unix seconds + 62135596800) * 10^7; the offset is 0 (UTC, as the services write).
            migrationBuilder.Sql(
                "UPDATE \"CandidateAccounts\" SET \"LastFailedAt\" = ((CAST(strftime('%s', 'now') AS INTEGER) + 62135596800) * 10000) << 11 "
                + "WHERE \"FailedAttempts\" > 0 AND \"LastFailedAt\" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
