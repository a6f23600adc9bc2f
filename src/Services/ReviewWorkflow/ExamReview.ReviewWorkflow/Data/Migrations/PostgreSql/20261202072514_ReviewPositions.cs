using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReviewPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CaseVersion",
                table: "HeldResults",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RegistrationVersion",
                table: "CandidateProfiles",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CaseVersion",
                table: "HeldResults");

            migrationBuilder.DropColumn(
                name: "RegistrationVersion",
                table: "CandidateProfiles");
        }
    }
}
