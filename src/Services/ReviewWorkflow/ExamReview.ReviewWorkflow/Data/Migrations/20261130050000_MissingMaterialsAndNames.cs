using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ReviewWorkflow.Data.Migrations;

/// <summary>
/// Continuous mode: a case knows which required materials the application still misses, so 考点通过 needs an
/// explicit override; known images keep the catalog's name of their material type, so feedback names it in Chinese.
/// </summary>
[DbContext(typeof(ReviewDbContext))]
[Migration("20261130050000_MissingMaterialsAndNames")]
public sealed class MissingMaterialsAndNames : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("MissingMaterialsJson", "ReviewCases", maxLength: 4000, nullable: true);
        migrationBuilder.AddColumn<string>("MaterialName", "KnownImages", maxLength: 200, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("MaterialName", "KnownImages");
        migrationBuilder.DropColumn("MissingMaterialsJson", "ReviewCases");
    }
}
