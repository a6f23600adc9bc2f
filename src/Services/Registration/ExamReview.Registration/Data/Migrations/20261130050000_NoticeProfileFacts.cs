using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Registration.Data.Migrations;

/// <summary>
/// Profile facts the notices need: where a repeat candidate sat before (Hunan's reduced set), the 师承/确有专长
/// qualification route; and every candidate has one trial-period institution at least (seeds/004).
/// </summary>
[DbContext(typeof(RegistrationDbContext))]
[Migration("20261130050000_NoticeProfileFacts")]
public sealed class NoticeProfileFacts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("PreviousExamArea", "Registrations", maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<string>("QualificationRoute", "Registrations", maxLength: 32, nullable: false, defaultValue: "education");
        migrationBuilder.Sql("UPDATE \"Registrations\" SET \"TrialInstitutionCount\" = 1 WHERE \"TrialInstitutionCount\" < 1");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("QualificationRoute", "Registrations");
        migrationBuilder.DropColumn("PreviousExamArea", "Registrations");
    }
}
