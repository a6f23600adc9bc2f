using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Registration.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdNumberClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IdNumberClaims",
                columns: table => new
                {
                    ExamYear = table.Column<int>(type: "INTEGER", nullable: false),
                    IdNumberIndex = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RegistrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdNumberClaims", x => new { x.ExamYear, x.IdNumberIndex });
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdNumberClaims_RegistrationId",
                table: "IdNumberClaims",
                column: "RegistrationId",
                unique: true);

            // Databases written before the rule hold several registrations of one number in a year: each number is claimed
            // for its earliest registration (by creation, then id), and the later copies hold nothing (they still read, and
            // staff correct them to the candidate's real number). Rows without a blind index yet (written before
            // encryption) are claimed by IdNumberBackfill when it indexes them. Creating the claims from the
            // registrations cannot fail on duplicates, as a unique index on the registrations would.
            migrationBuilder.Sql("""
                INSERT INTO "IdNumberClaims" ("ExamYear", "IdNumberIndex", "RegistrationId", "ClaimedAt")
                SELECT "ExamYear", "IdNumberIndex", "Id", "CreatedAt"
                FROM (
                    SELECT "ExamYear", "IdNumberIndex", "Id", "CreatedAt",
                           ROW_NUMBER() OVER (PARTITION BY "ExamYear", "IdNumberIndex" ORDER BY "CreatedAt", "Id") AS "Rank"
                    FROM "Registrations"
                    WHERE "IdNumberIndex" IS NOT NULL
                ) AS "Ranked"
                WHERE "Rank" = 1;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IdNumberClaims");
        }
    }
}
