using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LoadDurationHistograms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReviewDurationBuckets",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Measure = table.Column<short>(type: "INTEGER", nullable: false),
                    Bucket = table.Column<short>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    Flagged = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewDurationBuckets", x => new { x.Day, x.AreaCode, x.Measure, x.Bucket });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Site_DecidedAt",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "DecidedAt" },
                filter: "\"DecidedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_Site_FirstReviewedAt",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "FirstReviewedAt" },
                filter: "\"FirstReviewedAt\" IS NOT NULL");

            // The histograms start from the cases already there (see the PostgreSQL migration). The embedded run stores
            // timestamps with EF Core's DateTimeOffsetToBinaryConverter: (local ticks / 1000) << 11 | offset minutes in
            // 11 signed bits; the expressions below turn that back into UTC in units of 1000 ticks (0.1 ms).
            migrationBuilder.Sql(
                "INSERT INTO \"ReviewDurationBuckets\" (\"Day\", \"AreaCode\", \"Measure\", \"Bucket\", \"Count\", \"Flagged\") " +
                "SELECT date((((\"FirstReviewedAt\" >> 11) - (CASE WHEN (\"FirstReviewedAt\" & 1024) <> 0 THEN (\"FirstReviewedAt\" & 2047) - 2048 ELSE (\"FirstReviewedAt\" & 2047) END) * 600000) - 621355968000000) / 10000, 'unixepoch'), \"AreaCode\", 1, " +
                "CAST(floor(8 * ln(max(0, (((\"FirstReviewedAt\" >> 11) - (CASE WHEN (\"FirstReviewedAt\" & 1024) <> 0 THEN (\"FirstReviewedAt\" & 2047) - 2048 ELSE (\"FirstReviewedAt\" & 2047) END) * 600000) - ((\"OpenedAt\" >> 11) - (CASE WHEN (\"OpenedAt\" & 1024) <> 0 THEN (\"OpenedAt\" & 2047) - 2048 ELSE (\"OpenedAt\" & 2047) END) * 600000)) / 10000.0) + 1) / ln(2)) AS INTEGER), count(*), sum(\"ReturnCount\" > 0) " +
                "FROM \"ReviewCases\" WHERE \"FirstReviewedAt\" IS NOT NULL GROUP BY 1, 2, 4;");
            migrationBuilder.Sql(
                "INSERT INTO \"ReviewDurationBuckets\" (\"Day\", \"AreaCode\", \"Measure\", \"Bucket\", \"Count\", \"Flagged\") " +
                "SELECT date((((\"DecidedAt\" >> 11) - (CASE WHEN (\"DecidedAt\" & 1024) <> 0 THEN (\"DecidedAt\" & 2047) - 2048 ELSE (\"DecidedAt\" & 2047) END) * 600000) - 621355968000000) / 10000, 'unixepoch'), \"AreaCode\", 2, " +
                "CAST(floor(8 * ln(max(0, (((\"DecidedAt\" >> 11) - (CASE WHEN (\"DecidedAt\" & 1024) <> 0 THEN (\"DecidedAt\" & 2047) - 2048 ELSE (\"DecidedAt\" & 2047) END) * 600000) - ((\"OpenedAt\" >> 11) - (CASE WHEN (\"OpenedAt\" & 1024) <> 0 THEN (\"OpenedAt\" & 2047) - 2048 ELSE (\"OpenedAt\" & 2047) END) * 600000)) / 10000.0) + 1) / ln(2)) AS INTEGER), count(*), sum(\"State\" = 3) " +
                "FROM \"ReviewCases\" WHERE \"DecidedAt\" IS NOT NULL GROUP BY 1, 2, 4;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReviewDurationBuckets");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Site_DecidedAt",
                table: "ReviewCases");

            migrationBuilder.DropIndex(
                name: "IX_ReviewCases_Site_FirstReviewedAt",
                table: "ReviewCases");
        }
    }
}
