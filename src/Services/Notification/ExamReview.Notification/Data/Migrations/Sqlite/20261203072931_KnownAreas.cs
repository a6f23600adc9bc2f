using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ExamReview.Notification.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KnownAreas : Migration
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

            // Areas this service held data of before it kept the known areas (senders and templates operators set,
            // candidates' contacts, provincial webhooks), named by their code until Registration announces them again:
            // nothing that worked before is refused now.
            migrationBuilder.Sql("""
                INSERT INTO "KnownAreas" ("Code", "Name")
                SELECT "Code", "Code" FROM (
                    SELECT "AreaCode" AS "Code" FROM "AreaSenders"
                    UNION SELECT "AreaCode" FROM "SmsTemplates" WHERE "AreaCode" <> '*'
                    UNION SELECT "AreaCode" FROM "Contacts"
                    UNION SELECT "AreaCode" FROM "WebhookEndpoints"
                    UNION SELECT "AreaCode" FROM "WebhookDeliveries" WHERE "AreaCode" <> '') AS "Seen"
                WHERE "Code" NOT IN (SELECT "Code" FROM "KnownAreas");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KnownAreas");
        }
    }
}
