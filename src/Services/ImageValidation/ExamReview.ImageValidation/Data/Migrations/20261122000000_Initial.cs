using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ImageValidation.Data.Migrations;

[DbContext(typeof(ImageValidationDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateMessagingTables();
        migrationBuilder.CreateTable(
            name: "ValidationRecords",
            columns: table => new
            {
                ImageId = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                MaterialType = table.Column<string>(maxLength: 64, nullable: false),
                Sha256 = table.Column<string>(maxLength: 64, nullable: false),
                Passed = table.Column<bool>(nullable: false),
                FindingsJson = table.Column<string>(nullable: false),
                CheckedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ValidationRecords", x => x.ImageId));
        migrationBuilder.CreateIndex("IX_ValidationRecords_CandidateId", "ValidationRecords", "CandidateId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("ValidationRecords");
        migrationBuilder.DropTable("InboxMessages");
        migrationBuilder.DropTable("OutboxMessages");
    }
}
