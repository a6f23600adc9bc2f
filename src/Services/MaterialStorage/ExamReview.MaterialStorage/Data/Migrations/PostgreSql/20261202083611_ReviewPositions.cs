using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.MaterialStorage.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReviewPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReviewCaseVersion",
                table: "Applications",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReviewSubmission",
                table: "Applications",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReviewCaseVersion",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "ReviewSubmission",
                table: "Applications");
        }
    }
}
