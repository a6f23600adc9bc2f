using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ReviewWorkflow.Data.Migrations;

[DbContext(typeof(ReviewDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateMessagingTables();
        migrationBuilder.CreateTable(
            name: "ReviewCases",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                ApplicationId = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                RegistrationNumber = table.Column<string>(maxLength: 32, nullable: false),
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                SiteCode = table.Column<string>(maxLength: 16, nullable: false),
                State = table.Column<int>(nullable: false),
                SubmissionNumber = table.Column<int>(nullable: false),
                ImageIdsJson = table.Column<string>(nullable: false),
                Feedback = table.Column<string>(maxLength: 2000, nullable: true),
                RespondBy = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
                SubmittedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ReviewCases", x => x.Id));
        migrationBuilder.CreateIndex("IX_ReviewCases_ApplicationId", "ReviewCases", "ApplicationId", unique: true);
        migrationBuilder.CreateIndex("IX_ReviewCases_SiteCode_State_SubmittedAt_Id", "ReviewCases", ["SiteCode", "State", "SubmittedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_ReviewCases_AreaCode_State_SubmittedAt_Id", "ReviewCases", ["AreaCode", "State", "SubmittedAt", "Id"]);

        migrationBuilder.CreateTable(
            name: "CaseEvents",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CaseId = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 64, nullable: false),
                Actor = table.Column<string>(maxLength: 128, nullable: false),
                Detail = table.Column<string>(nullable: true),
                At = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CaseEvents", x => x.Id));
        migrationBuilder.CreateIndex("IX_CaseEvents_CaseId_At", "CaseEvents", ["CaseId", "At"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("CaseEvents");
        migrationBuilder.DropTable("ReviewCases");
        migrationBuilder.DropTable("InboxMessages");
        migrationBuilder.DropTable("OutboxMessages");
    }
}
