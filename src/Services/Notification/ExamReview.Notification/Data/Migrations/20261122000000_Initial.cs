using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Notification.Data.Migrations;

[DbContext(typeof(NotificationDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateMessagingTables();

        migrationBuilder.CreateTable(
            name: "Contacts",
            columns: table => new
            {
                CandidateId = table.Column<Guid>(nullable: false),
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                MobileNumber = table.Column<string>(maxLength: 20, nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Contacts", x => x.CandidateId));

        migrationBuilder.CreateTable(
            name: "AreaSenders",
            columns: table => new
            {
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                SenderName = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_AreaSenders", x => x.AreaCode));

        migrationBuilder.CreateTable(
            name: "SmsMessages",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                SourceMessageId = table.Column<Guid>(nullable: false),
                Template = table.Column<string>(maxLength: 64, nullable: false),
                MobileNumber = table.Column<string>(maxLength: 20, nullable: false),
                Text = table.Column<string>(maxLength: 500, nullable: false),
                Status = table.Column<int>(nullable: false),
                Attempts = table.Column<int>(nullable: false),
                ProviderMessageId = table.Column<string>(maxLength: 128, nullable: true),
                Error = table.Column<string>(maxLength: 2000, nullable: true),
                CreatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                SentAt = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_SmsMessages", x => x.Id));
        migrationBuilder.CreateIndex("IX_SmsMessages_SourceMessageId_Template", "SmsMessages", ["SourceMessageId", "Template"], unique: true);
        migrationBuilder.CreateIndex("IX_SmsMessages_Status_CreatedAt", "SmsMessages", ["Status", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_SmsMessages_CandidateId", "SmsMessages", "CandidateId");

        migrationBuilder.CreateTable(
            name: "InAppMessages",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                SourceMessageId = table.Column<Guid>(nullable: false),
                Title = table.Column<string>(maxLength: 200, nullable: false),
                Body = table.Column<string>(maxLength: 4000, nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                ReadAt = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_InAppMessages", x => x.Id));
        migrationBuilder.CreateIndex("IX_InAppMessages_CandidateId_CreatedAt", "InAppMessages", ["CandidateId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_InAppMessages_SourceMessageId", "InAppMessages", "SourceMessageId", unique: true);

        migrationBuilder.InsertData("AreaSenders", ["AreaCode", "SenderName"], ["text", "text"], new object[,]
        {
            { "11", "北京考区" }, { "43", "湖南考区" }, { "44", "广东考区" }, { "51", "四川考区" },
        });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("InAppMessages");
        migrationBuilder.DropTable("SmsMessages");
        migrationBuilder.DropTable("AreaSenders");
        migrationBuilder.DropTable("Contacts");
        migrationBuilder.DropTable("InboxMessages");
        migrationBuilder.DropTable("OutboxMessages");
    }
}
