using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.MaterialStorage.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue14ProvincialFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProvincialFeed",
                columns: table => new
                {
                    Position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Transaction = table.Column<long>(type: "INTEGER", nullable: false),
                    Feed = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Area = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: true),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProvincialFeed", x => x.Position);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProvincialFeed_Feed_Area_Transaction_Position",
                table: "ProvincialFeed",
                columns: new[] { "Feed", "Area", "Transaction", "Position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProvincialFeed");
        }
    }
}
