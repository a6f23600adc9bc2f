using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VerdictChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Check",
                table: "KnownImages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Infected",
                table: "KnownImages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Images known before this migration had their verdicts sent to MaterialStorage only, and those will not come
            // here: NotTracked (3) decides them as before instead of leaving them pending, which would block their cases for good.
            migrationBuilder.Sql("UPDATE \"KnownImages\" SET \"Check\" = 3;");

            migrationBuilder.AddColumn<string>(
                name: "ImageIdsJson",
                table: "HeldResults",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Check",
                table: "KnownImages");

            migrationBuilder.DropColumn(
                name: "Infected",
                table: "KnownImages");

            migrationBuilder.DropColumn(
                name: "ImageIdsJson",
                table: "HeldResults");
        }
    }
}
