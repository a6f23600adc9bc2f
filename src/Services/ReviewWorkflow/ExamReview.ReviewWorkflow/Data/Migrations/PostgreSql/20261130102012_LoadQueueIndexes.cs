using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class LoadQueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Area_DecidedAt",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "DecidedAt" },
                filter: "\"DecidedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Area_Escalated",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "SubmittedAt", "Id" },
                filter: "\"EscalatedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Area_FirstReviewedAt",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "FirstReviewedAt" },
                filter: "\"FirstReviewedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Area_Resubmitted",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "SubmittedAt", "Id" },
                filter: "\"ResubmittedSinceReview\"");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Area_State_RespondBy",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "State", "RespondBy" },
                filter: "\"RespondBy\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Site_Escalated",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "SubmittedAt", "Id" },
                filter: "\"EscalatedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Site_Resubmitted",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "SubmittedAt", "Id" },
                filter: "\"ResubmittedSinceReview\"");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Site_State_RespondBy",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "State", "RespondBy" },
                filter: "\"RespondBy\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Area_DecidedAt",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Area_Escalated",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Area_FirstReviewedAt",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Area_Resubmitted",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Area_State_RespondBy",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Site_Escalated",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Site_Resubmitted",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Site_State_RespondBy",
                table: "ReviewCases");
        }
    }
}
