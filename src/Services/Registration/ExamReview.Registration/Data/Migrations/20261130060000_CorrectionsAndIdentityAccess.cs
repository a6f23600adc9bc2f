using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Registration.Data.Migrations;

/// <summary>Staff corrections' audit rows, and the log of reviewers' views of a candidate's full identity.</summary>
[DbContext(typeof(RegistrationDbContext))]
[Migration("20261130060000_CorrectionsAndIdentityAccess")]
public sealed class CorrectionsAndIdentityAccess : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateTable(
            name: "RegistrationCorrections",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                RegistrationId = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                Field = table.Column<string>(maxLength: 32, nullable: false),
                OldValue = table.Column<string>(maxLength: 100, nullable: false),
                NewValue = table.Column<string>(maxLength: 100, nullable: false),
                Reason = table.Column<string>(maxLength: 500, nullable: false),
                CorrectedBy = table.Column<string>(maxLength: 200, nullable: false),
                CorrectedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_RegistrationCorrections", x => x.Id));
        migrationBuilder.CreateIndex("IX_RegistrationCorrections_CandidateId_CorrectedAt", "RegistrationCorrections", ["CandidateId", "CorrectedAt"]);

        migrationBuilder.CreateTable(
            name: "IdentityAccessLog",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                RegistrationId = table.Column<Guid>(nullable: false),
                Actor = table.Column<string>(maxLength: 200, nullable: false),
                Role = table.Column<string>(maxLength: 32, nullable: false),
                Scope = table.Column<string>(maxLength: 32, nullable: false),
                CaseId = table.Column<Guid>(nullable: true),
                What = table.Column<string>(maxLength: 32, nullable: false),
                At = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_IdentityAccessLog", x => x.Id));
        migrationBuilder.CreateIndex("IX_IdentityAccessLog_CandidateId_At", "IdentityAccessLog", ["CandidateId", "At"]);
        migrationBuilder.CreateIndex("IX_IdentityAccessLog_Actor_At", "IdentityAccessLog", ["Actor", "At"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("IdentityAccessLog");
        migrationBuilder.DropTable("RegistrationCorrections");
    }
}
