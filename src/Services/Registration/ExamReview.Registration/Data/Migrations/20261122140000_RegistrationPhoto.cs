using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Registration.Data.Migrations;

[DbContext(typeof(RegistrationDbContext))]
[Migration("20261122140000_RegistrationPhoto")]
public sealed class RegistrationPhoto : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "PhotoObjectKey", table: "Registrations", maxLength: 128, nullable: true);
        migrationBuilder.AddColumn<string>(name: "PhotoSha256", table: "Registrations", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "PhotoAcceptedAt", table: "Registrations", type: migrationBuilder.TimestampType(), nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "PhotoAcceptedAt", table: "Registrations");
        migrationBuilder.DropColumn(name: "PhotoSha256", table: "Registrations");
        migrationBuilder.DropColumn(name: "PhotoObjectKey", table: "Registrations");
    }
}
