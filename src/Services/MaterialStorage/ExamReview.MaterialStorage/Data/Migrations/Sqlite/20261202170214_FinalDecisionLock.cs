using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.MaterialStorage.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Applications already approved (3) or rejected (4) are closed by their decision too (their state locked them already).
            migrationBuilder.Sql("UPDATE \"Applications\" SET \"ClosedByDecision\" = 1 WHERE \"State\" IN (3, 4);");

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
