using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ReviewWorkflow.Data.Migrations;

/// <summary>A case returned for a registration-data problem waits for staff to correct the data, not for a resubmission.</summary>
[DbContext(typeof(ReviewDbContext))]
[Migration("20261130060000_AwaitingCorrection")]
public sealed class AwaitingCorrection : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<bool>("AwaitingCorrection", "ReviewCases", nullable: false, defaultValue: false);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("AwaitingCorrection", "ReviewCases");
}
