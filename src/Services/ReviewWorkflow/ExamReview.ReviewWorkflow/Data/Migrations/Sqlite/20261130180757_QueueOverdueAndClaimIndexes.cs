using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QueueOverdueAndClaimIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_ClaimedBy_SubmittedAt_Id",
                table: "ReviewCases");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Area_Claimed",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "ClaimedBy", "ClaimExpiresAt" },
                filter: "\"ClaimedBy\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Site_Claimed",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "ClaimedBy", "ClaimExpiresAt" },
                filter: "\"ClaimedBy\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Area_Claimed",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Site_Claimed",
                table: "ReviewCases");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_ClaimedBy_SubmittedAt_Id",
                table: "ReviewCases",
                columns: new[] { "ClaimedBy", "SubmittedAt", "Id" });
        }
    }
}
