using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ReviewWorkflow.Data.Migrations;

/// <summary>
/// Continuous mode: a case knows which required materials the application still misses, so 考点通过 needs an
/// explicit override; known images keep the catalog's name of their material type, so feedback names it in Chinese,
/// and the lock MaterialStorage decided for them, so the reviewer's view reads the same as the candidate's.
/// </summary>
[DbContext(typeof(ReviewDbContext))]
[Migration("20261130050000_MissingMaterialsAndNames")]
public sealed class MissingMaterialsAndNames : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("MissingMaterialsJson", "ReviewCases", maxLength: 4000, nullable: true);
        migrationBuilder.AddColumn<string>("MaterialName", "KnownImages", maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<string>("LockState", "KnownImages", maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<string>("LockLabel", "KnownImages", maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<int>("LockVersion", "KnownImages", nullable: false, defaultValue: 0);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("LockVersion", "KnownImages");
        migrationBuilder.DropColumn("LockLabel", "KnownImages");
        migrationBuilder.DropColumn("LockState", "KnownImages");
        migrationBuilder.DropColumn("MaterialName", "KnownImages");
        migrationBuilder.DropColumn("MissingMaterialsJson", "ReviewCases");
    }
}
