using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublicationResultRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HeldResults",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SiteCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SubmissionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HeldResults", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResultRounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Published = table.Column<int>(type: "INTEGER", nullable: false),
                    Withdrawn = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResultRounds", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HeldResults_CaseId",
                table: "HeldResults",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_HeldResults_Level_ScopeCode_PublishedAt_WithdrawnAt",
                table: "HeldResults",
                columns: new[] { "Level", "ScopeCode", "PublishedAt", "WithdrawnAt" });

            migrationBuilder.CreateIndex(
                name: "IX_HeldResults_RoundId_CaseId",
                table: "HeldResults",
                columns: new[] { "RoundId", "CaseId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ResultRounds_ClosedAt_EndsAt",
                table: "ResultRounds",
                columns: new[] { "ClosedAt", "EndsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ResultRounds_Level_ScopeCode_ClosedAt",
                table: "ResultRounds",
                columns: new[] { "Level", "ScopeCode", "ClosedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HeldResults");

            migrationBuilder.DropTable(
                name: "ResultRounds");
        }
    }
}
