using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Registration.Data.Migrations;

/// <summary>Exam years as data, and the profile facts (seeds/004) on the registration.</summary>
[DbContext(typeof(RegistrationDbContext))]
[Migration("20261122130000_ProfilesAndYears")]
public sealed class ProfilesAndYears : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ExamYears",
            columns: table => new
            {
                Year = table.Column<int>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ExamYears", x => x.Year));
        migrationBuilder.InsertData("ExamYears", ["Year", "Name"], ["integer", "text"], new object[,]
        {
            { 2025, "2025年医师资格考试" }, { 2026, "2026年医师资格考试" }, { 2027, "2027年医师资格考试" }, { 2028, "2028年医师资格考试" },
        });

        migrationBuilder.AddColumn<string>("EducationLevel", "Registrations", maxLength: 32, nullable: false, defaultValue: "bachelor");
        migrationBuilder.AddColumn<bool>("UpgradedFromCollege", "Registrations", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<DateOnly>("UpgradeEntryDate", "Registrations", nullable: true);
        migrationBuilder.AddColumn<string>("PostgraduateStatus", "Registrations", maxLength: 32, nullable: false, defaultValue: "none");
        migrationBuilder.AddColumn<DateOnly>("PostgraduateEntryDate", "Registrations", nullable: true);
        migrationBuilder.AddColumn<bool>("RepeatCandidate", "Registrations", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<int>("PreviousExamYear", "Registrations", nullable: true);
        migrationBuilder.AddColumn<string>("EmployerType", "Registrations", maxLength: 32, nullable: false, defaultValue: "other");
        migrationBuilder.AddColumn<bool>("HoldsAssistantLicence", "Registrations", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<bool>("ForeignDegree", "Registrations", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>("Nationality", "Registrations", maxLength: 32, nullable: false, defaultValue: "mainland");
        migrationBuilder.AddColumn<int>("TrialInstitutionCount", "Registrations", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<int>("ProfileVersion", "Registrations", nullable: false, defaultValue: 0);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var column in new[]
        {
            "EducationLevel", "UpgradedFromCollege", "UpgradeEntryDate", "PostgraduateStatus", "PostgraduateEntryDate", "RepeatCandidate",
            "PreviousExamYear", "EmployerType", "HoldsAssistantLicence", "ForeignDegree", "Nationality", "TrialInstitutionCount", "ProfileVersion",
        })
        {
            migrationBuilder.DropColumn(column, "Registrations");
        }
        migrationBuilder.DropTable("ExamYears");
    }
}
