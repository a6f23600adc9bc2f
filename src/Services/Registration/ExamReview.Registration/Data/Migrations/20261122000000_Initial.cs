using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Registration.Data.Migrations;

[DbContext(typeof(RegistrationDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateMessagingTables();

        migrationBuilder.CreateTable(
            name: "ExamAreas",
            columns: table => new
            {
                Code = table.Column<string>(maxLength: 16, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ExamAreas", x => x.Code));

        migrationBuilder.CreateTable(
            name: "ExamSites",
            columns: table => new
            {
                Code = table.Column<string>(maxLength: 16, nullable: false),
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ExamSites", x => x.Code));
        migrationBuilder.CreateIndex("IX_ExamSites_AreaCode", "ExamSites", "AreaCode");

        migrationBuilder.CreateTable(
            name: "Registrations",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                RegistrationNumber = table.Column<string>(maxLength: 32, nullable: false),
                ExamYear = table.Column<int>(nullable: false),
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                SiteCode = table.Column<string>(maxLength: 16, nullable: false),
                ExamCategory = table.Column<string>(maxLength: 64, nullable: false),
                FullName = table.Column<string>(maxLength: 100, nullable: false),
                IdNumber = table.Column<string>(maxLength: 32, nullable: false),
                MobileNumber = table.Column<string>(maxLength: 20, nullable: false),
                Status = table.Column<int>(nullable: false),
                Feedback = table.Column<string>(maxLength: 2000, nullable: true),
                RespondBy = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
                LastStatusMessageId = table.Column<Guid>(nullable: true),
                CreatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Registrations", x => x.Id));
        migrationBuilder.CreateIndex("IX_Registrations_CandidateId", "Registrations", "CandidateId", unique: true);
        migrationBuilder.CreateIndex("IX_Registrations_RegistrationNumber", "Registrations", "RegistrationNumber", unique: true);
        migrationBuilder.CreateIndex("IX_Registrations_AreaCode_SiteCode", "Registrations", ["AreaCode", "SiteCode"]);

        // Reference data to start from; operators maintain areas and sites afterwards.
        migrationBuilder.InsertData("ExamAreas", ["Code", "Name"], ["text", "text"], new object[,]
        {
            { "11", "北京考区" }, { "43", "湖南考区" }, { "44", "广东考区" }, { "51", "四川考区" },
        });
        migrationBuilder.InsertData("ExamSites", ["Code", "AreaCode", "Name"], ["text", "text", "text"], new object[,]
        {
            { "1101", "11", "北京市东城区考点" }, { "1102", "11", "北京市海淀区考点" },
            { "4301", "43", "长沙市考点" }, { "4302", "43", "株洲市考点" },
            { "4401", "44", "广州市考点" }, { "4403", "44", "深圳市考点" },
            { "5101", "51", "成都市考点" },
        });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Registrations");
        migrationBuilder.DropTable("ExamSites");
        migrationBuilder.DropTable("ExamAreas");
        migrationBuilder.DropTable("InboxMessages");
        migrationBuilder.DropTable("OutboxMessages");
    }
}
