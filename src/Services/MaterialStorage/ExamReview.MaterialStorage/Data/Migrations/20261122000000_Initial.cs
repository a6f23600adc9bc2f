using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.MaterialStorage.Data.Migrations;

[DbContext(typeof(MaterialStorageDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateMessagingTables();

        migrationBuilder.CreateTable(
            name: "Applications",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                RegistrationNumber = table.Column<string>(maxLength: 32, nullable: false),
                ExamYear = table.Column<int>(nullable: false),
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                SiteCode = table.Column<string>(maxLength: 16, nullable: false),
                State = table.Column<int>(nullable: false),
                SubmissionNumber = table.Column<int>(nullable: false),
                Feedback = table.Column<string>(maxLength: 2000, nullable: true),
                CreatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                SubmittedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Applications", x => x.Id));
        migrationBuilder.CreateIndex("IX_Applications_CandidateId", "Applications", "CandidateId", unique: true);

        migrationBuilder.CreateTable(
            name: "Images",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                ApplicationId = table.Column<Guid>(nullable: false),
                MaterialType = table.Column<string>(maxLength: 64, nullable: false),
                ObjectKey = table.Column<string>(maxLength: 256, nullable: false),
                ContentType = table.Column<string>(maxLength: 64, nullable: false),
                Length = table.Column<long>(nullable: false),
                Sha256 = table.Column<string>(maxLength: 64, nullable: false),
                FileName = table.Column<string>(maxLength: 255, nullable: true),
                Validation = table.Column<int>(nullable: false),
                FindingsJson = table.Column<string>(nullable: true),
                Review = table.Column<int>(nullable: false),
                UploadedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Images", x => x.Id);
                table.ForeignKey("FK_Images_Applications_ApplicationId", x => x.ApplicationId, "Applications", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_Images_ApplicationId_MaterialType", "Images", ["ApplicationId", "MaterialType"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Images");
        migrationBuilder.DropTable("Applications");
        migrationBuilder.DropTable("InboxMessages");
        migrationBuilder.DropTable("OutboxMessages");
    }
}
