using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CandidateProfiles",
                columns: table => new
                {
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExamCategory = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CandidateProfiles", x => x.CandidateId);
                });

            migrationBuilder.CreateTable(
                name: "CaseEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImageReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ImageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MaterialType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SubmissionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Current = table.Column<bool>(type: "INTEGER", nullable: false),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReplacesImageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PreviousDecision = table.Column<int>(type: "INTEGER", nullable: true),
                    PreviousReasonCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PreviousNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImageReviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InboxMessages",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Consumer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxMessages", x => new { x.MessageId, x.Consumer });
                });

            migrationBuilder.CreateTable(
                name: "KnownImages",
                columns: table => new
                {
                    ImageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MaterialType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MaterialName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LockState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    LockLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    LockVersion = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnownImages", x => x.ImageId);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    TraceParent = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "ReviewCases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CandidateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegistrationNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SiteCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExamCategory = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    SubmissionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    ImageIdsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Feedback = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RespondBy = table.Column<long>(type: "INTEGER", nullable: true),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FirstReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SiteApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReturnCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ResubmittedSinceReview = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReminderSentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MissingMaterialsJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AwaitingCorrection = table.Column<bool>(type: "INTEGER", nullable: false),
                    ResponseWindowExpiredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewCases", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_CaseId_At",
                table: "CaseEvents",
                columns: new[] { "CaseId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_Kind_At",
                table: "CaseEvents",
                columns: new[] { "Kind", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ImageReviews_CaseId_ImageId",
                table: "ImageReviews",
                columns: new[] { "CaseId", "ImageId" },
                unique: true);

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
                name: "IX_ReviewCases_ApplicationId",
                table: "ReviewCases",
                column: "ApplicationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_AreaCode_State_SubmittedAt_Id",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "State", "SubmittedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_AreaCode_SubmittedAt_Id",
                table: "ReviewCases",
                columns: new[] { "AreaCode", "SubmittedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_ClaimedBy_SubmittedAt_Id",
                table: "ReviewCases",
                columns: new[] { "ClaimedBy", "SubmittedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_ClaimExpiresAt",
                table: "ReviewCases",
                column: "ClaimExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_DecidedAt",
                table: "ReviewCases",
                column: "DecidedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_FirstReviewedAt",
                table: "ReviewCases",
                column: "FirstReviewedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_SiteCode_State_SubmittedAt_Id",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "State", "SubmittedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_SiteCode_SubmittedAt_Id",
                table: "ReviewCases",
                columns: new[] { "SiteCode", "SubmittedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewCases_State_RespondBy",
                table: "ReviewCases",
                columns: new[] { "State", "RespondBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CandidateProfiles");

            migrationBuilder.DropTable(
                name: "CaseEvents");

            migrationBuilder.DropTable(
                name: "ImageReviews");

            migrationBuilder.DropTable(
                name: "InboxMessages");

            migrationBuilder.DropTable(
                name: "KnownImages");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "ReviewCases");
        }
    }
}
