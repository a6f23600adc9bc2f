using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Registration.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountsCandidateAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccountAuditLog",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountAuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CandidateAccounts",
                columns: table => new
                {
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PasswordChangedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ChallengeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChallengePurpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ChallengeSalt = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChallengeCodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChallengeExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ChallengeSentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ChallengeAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CandidateAccounts", x => x.CandidateId);
                });

            migrationBuilder.CreateTable(
                name: "CandidateSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Via = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CandidateSessions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccountAuditLog_CandidateId_At",
                table: "AccountAuditLog",
                columns: new[] { "CandidateId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_CandidateAccounts_ChallengeId",
                table: "CandidateAccounts",
                column: "ChallengeId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CandidateSessions_CandidateId_ExpiresAt",
                table: "CandidateSessions",
                columns: new[] { "CandidateId", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountAuditLog");

            migrationBuilder.DropTable(
                name: "CandidateAccounts");

            migrationBuilder.DropTable(
                name: "CandidateSessions");
        }
    }
}
