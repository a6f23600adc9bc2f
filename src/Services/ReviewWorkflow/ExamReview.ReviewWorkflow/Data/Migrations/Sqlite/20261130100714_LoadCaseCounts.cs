using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LoadCaseCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReviewCaseCounts",
                columns: table => new
                {
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SiteCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewCaseCounts", x => new { x.AreaCode, x.SiteCode, x.State });
                });

            // The counts start from the cases already there; from now on every SaveChanges keeps them (CaseCountDeltas).
            migrationBuilder.Sql(
                "INSERT INTO \"ReviewCaseCounts\" (\"AreaCode\", \"SiteCode\", \"State\", \"Count\") " +
                "SELECT \"AreaCode\", \"SiteCode\", \"State\", count(*) FROM \"ReviewCases\" GROUP BY \"AreaCode\", \"SiteCode\", \"State\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReviewCaseCounts");
        }
    }
}
