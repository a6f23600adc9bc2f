using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KnownPlaces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KnownAreas",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnownAreas", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "KnownSites",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnownSites", x => x.Code);
                });

            migrationBuilder.InsertData(
                table: "KnownAreas",
                columns: new[] { "Code", "Name" },
                values: new object[,]
                {
                    { "11", "北京考区" },
                    { "43", "湖南考区" },
                    { "44", "广东考区" },
                    { "51", "四川考区" }
                });

            migrationBuilder.InsertData(
                table: "KnownSites",
                columns: new[] { "Code", "AreaCode", "Name" },
                values: new object[,]
                {
                    { "1101", "11", "北京市东城区考点" },
                    { "1102", "11", "北京市海淀区考点" },
                    { "4301", "43", "长沙市考点" },
                    { "4302", "43", "株洲市考点" },
                    { "4401", "44", "广州市考点" },
                    { "4403", "44", "深圳市考点" },
                    { "5101", "51", "成都市考点" }
                });

            // Areas and sites operators created before Registration's announcements were kept here: every place this
            // service already holds cases or rounds of (named by its code until Registration announces it again), so
            // nothing that worked before is refused now. ReviewCaseCounts holds each case's area and site in a few rows.
            migrationBuilder.Sql("""
                INSERT INTO "KnownAreas" ("Code", "Name")
                SELECT "Code", "Code" FROM (
                    SELECT "AreaCode" AS "Code" FROM "ReviewCaseCounts"
                    UNION SELECT "ScopeCode" FROM "ResultRounds" WHERE "Level" = 'area') AS "Seen"
                WHERE "Code" NOT IN (SELECT "Code" FROM "KnownAreas");
                """);
            migrationBuilder.Sql("""
                INSERT INTO "KnownSites" ("Code", "AreaCode", "Name")
                SELECT "SiteCode", MIN("AreaCode"), "SiteCode" FROM "ReviewCaseCounts"
                WHERE "SiteCode" NOT IN (SELECT "Code" FROM "KnownSites")
                GROUP BY "SiteCode";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KnownAreas");

            migrationBuilder.DropTable(
                name: "KnownSites");
        }
    }
}
