using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Registration.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StatusPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LastStatusCaseVersion",
                table: "Registrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LastStatusSubmission",
                table: "Registrations",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastStatusCaseVersion",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "LastStatusSubmission",
                table: "Registrations");
        }
    }
}
