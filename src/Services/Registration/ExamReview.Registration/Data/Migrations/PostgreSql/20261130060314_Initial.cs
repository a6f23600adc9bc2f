using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ExamReview.Registration.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExamAreas",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExamAreas", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "ExamSites",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AreaCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExamSites", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "ExamYears",
                columns: table => new
                {
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExamYears", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "IdentityAccessLog",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Scope = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: true),
                    What = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdentityAccessLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InboxMessages",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxMessages", x => new { x.MessageId, x.Consumer });
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageType = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    TraceParent = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "RegistrationCorrections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    Field = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OldValue = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NewValue = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CorrectedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CorrectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegistrationCorrections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Registrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CandidateId = table.Column<Guid>(type: "uuid", nullable: false),
                    RegistrationNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ExamYear = table.Column<int>(type: "integer", nullable: false),
                    AreaCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SiteCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ExamCategory = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FullName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    IdNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MobileNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    EducationLevel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UpgradedFromCollege = table.Column<bool>(type: "boolean", nullable: false),
                    UpgradeEntryDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PostgraduateStatus = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PostgraduateEntryDate = table.Column<DateOnly>(type: "date", nullable: true),
                    RepeatCandidate = table.Column<bool>(type: "boolean", nullable: false),
                    PreviousExamYear = table.Column<int>(type: "integer", nullable: true),
                    PreviousExamArea = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    EmployerType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    HoldsAssistantLicence = table.Column<bool>(type: "boolean", nullable: false),
                    ForeignDegree = table.Column<bool>(type: "boolean", nullable: false),
                    Nationality = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TrialInstitutionCount = table.Column<int>(type: "integer", nullable: false),
                    QualificationRoute = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ProfileVersion = table.Column<int>(type: "integer", nullable: false),
                    Feedback = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RespondBy = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastStatusMessageId = table.Column<Guid>(type: "uuid", nullable: true),
                    PhotoObjectKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    PhotoSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PhotoAcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Registrations", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "ExamAreas",
                columns: new[] { "Code", "Name" },
                values: new object[,]
                {
                    { "11", "北京考区" },
                    { "43", "湖南考区" },
                    { "44", "广东考区" },
                    { "51", "四川考区" }
                });

            migrationBuilder.InsertData(
                table: "ExamSites",
                columns: new[] { "Code", "AreaCode", "Name" },
                values: new object[,]
                {
                    { "1101", "11", "北京市东城区考点" },
                    { "1102", "11", "北京市海淀区考点" },
                    { "4301", "43", "长沙市考点" },
                    { "4302", "43", "株洲市考点" },
                    { "4401", "44", "广州市考点" },
                    { "4403", "44", "深圳市考点" },
                    { "5101", "51", "成都市考点" }
                });

            migrationBuilder.InsertData(
                table: "ExamYears",
                columns: new[] { "Year", "Name" },
                values: new object[,]
                {
                    { 2025, "2025年医师资格考试" },
                    { 2026, "2026年医师资格考试" },
                    { 2027, "2027年医师资格考试" },
                    { 2028, "2028年医师资格考试" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExamSites_AreaCode",
                table: "ExamSites",
                column: "AreaCode");

            migrationBuilder.CreateIndex(
                name: "IX_IdentityAccessLog_Actor_At",
                table: "IdentityAccessLog",
                columns: new[] { "Actor", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_IdentityAccessLog_CandidateId_At",
                table: "IdentityAccessLog",
                columns: new[] { "CandidateId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxMessages_ProcessedAt",
                table: "InboxMessages",
                column: "ProcessedAt");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_MessageId",
                table: "OutboxMessages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_PublishedAt",
                table: "OutboxMessages",
                column: "PublishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationCorrections_CandidateId_CorrectedAt",
                table: "RegistrationCorrections",
                columns: new[] { "CandidateId", "CorrectedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_AreaCode_SiteCode",
                table: "Registrations",
                columns: new[] { "AreaCode", "SiteCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_CandidateId",
                table: "Registrations",
                column: "CandidateId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_RegistrationNumber",
                table: "Registrations",
                column: "RegistrationNumber",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExamAreas");

            migrationBuilder.DropTable(
                name: "ExamSites");

            migrationBuilder.DropTable(
                name: "ExamYears");

            migrationBuilder.DropTable(
                name: "IdentityAccessLog");

            migrationBuilder.DropTable(
                name: "InboxMessages");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "RegistrationCorrections");

            migrationBuilder.DropTable(
                name: "Registrations");
        }
    }
}
