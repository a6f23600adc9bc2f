using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ReviewWorkflow.Data.Migrations;

/// <summary>
/// Operator metrics select a period's cases by first review and by final decision; without these indexes each
/// request scanned every case of the registration window.
/// </summary>
[DbContext(typeof(ReviewDbContext))]
[Migration("20261122210000_MetricsIndexes")]
public sealed class MetricsIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex("IX_ReviewCases_FirstReviewedAt", "ReviewCases", "FirstReviewedAt");
        migrationBuilder.CreateIndex("IX_ReviewCases_DecidedAt", "ReviewCases", "DecidedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_ReviewCases_DecidedAt", "ReviewCases");
        migrationBuilder.DropIndex("IX_ReviewCases_FirstReviewedAt", "ReviewCases");
    }
}
