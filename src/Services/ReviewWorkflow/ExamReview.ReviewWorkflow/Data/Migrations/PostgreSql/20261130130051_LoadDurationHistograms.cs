using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.PostgreSql
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
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    AreaCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Measure = table.Column<short>(type: "smallint", nullable: false),
                    Bucket = table.Column<short>(type: "smallint", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Flagged = table.Column<long>(type: "bigint", nullable: false)
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

            // The histograms start from the cases already there; from now on every SaveChanges keeps them
            // (DurationHistogramDeltas). The bucket is DurationBuckets.Of in SQL, as DurationHistogramQuery writes it.
            migrationBuilder.Sql(
                "INSERT INTO \"ReviewDurationBuckets\" (\"Day\", \"AreaCode\", \"Measure\", \"Bucket\", \"Count\", \"Flagged\") " +
                "SELECT (\"FirstReviewedAt\" AT TIME ZONE 'UTC')::date, \"AreaCode\", 1, floor(8 * ln(greatest(0, extract(epoch FROM \"FirstReviewedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"ReturnCount\" > 0) " +
                "FROM \"ReviewCases\" WHERE \"FirstReviewedAt\" IS NOT NULL GROUP BY 1, 2, 4;");
            migrationBuilder.Sql(
                "INSERT INTO \"ReviewDurationBuckets\" (\"Day\", \"AreaCode\", \"Measure\", \"Bucket\", \"Count\", \"Flagged\") " +
                "SELECT (\"DecidedAt\" AT TIME ZONE 'UTC')::date, \"AreaCode\", 2, floor(8 * ln(greatest(0, extract(epoch FROM \"DecidedAt\" - \"OpenedAt\"))::float8 + 1) / ln(2::float8))::int2, count(*), count(*) FILTER (WHERE \"State\" = 3) " +
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
