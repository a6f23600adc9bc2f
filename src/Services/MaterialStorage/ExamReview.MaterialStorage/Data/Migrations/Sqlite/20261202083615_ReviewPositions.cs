using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.MaterialStorage.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReviewSubmission",
                table: "Applications",
                type: "INTEGER",
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
