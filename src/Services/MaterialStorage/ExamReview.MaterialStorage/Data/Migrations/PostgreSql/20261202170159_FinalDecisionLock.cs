using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.MaterialStorage.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class FinalDecisionLock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ClosedByDecision",
                table: "Applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Applications already approved (3) or rejected (4) are closed by their decision too (their state locked them already).
            migrationBuilder.Sql("UPDATE \"Applications\" SET \"ClosedByDecision\" = TRUE WHERE \"State\" IN (3, 4);");

            migrationBuilder.CreateIndex(
                name: "IX_Images_FailedAfterApproval",
                table: "Images",
                column: "UploadedAt",
                filter: "\"Validation\" = 2 AND \"Review\" = 2");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Images_FailedAfterApproval",
                table: "Images");

            migrationBuilder.DropColumn(
                name: "ClosedByDecision",
                table: "Applications");
        }
    }
}
