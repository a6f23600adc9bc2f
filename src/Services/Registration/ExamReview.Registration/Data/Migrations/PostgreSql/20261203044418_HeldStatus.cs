using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Registration.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class HeldStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HeldStatus",
                table: "Registrations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HeldStatusCaseVersion",
                table: "Registrations",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "HeldStatusSubmission",
                table: "Registrations",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HeldStatus",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "HeldStatusCaseVersion",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "HeldStatusSubmission",
                table: "Registrations");
        }
    }
}
