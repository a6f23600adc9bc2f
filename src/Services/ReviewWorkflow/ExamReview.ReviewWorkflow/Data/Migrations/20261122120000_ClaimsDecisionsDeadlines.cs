using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.ReviewWorkflow.Data.Migrations;

/// <summary>
/// Claims with leases, per-image decisions, deadlines and the facts behind queue filters and metrics.
/// Queue indexes: every queue query is scope (site or area) [+ state] ordered by (SubmittedAt, Id) and paged
/// by keyset, so each shape has a matching index and a page costs an index range scan however many million
/// cases exist; "my queue" pages on (ClaimedBy, SubmittedAt, Id); the deadline monitor reads (State, RespondBy)
/// and ClaimExpiresAt.
/// </summary>
[DbContext(typeof(ReviewDbContext))]
[Migration("20261122120000_ClaimsDecisionsDeadlines")]
public sealed class ClaimsDecisionsDeadlines : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        const string cases = "ReviewCases";
        migrationBuilder.AddColumn<string>("ExamCategory", cases, maxLength: 64, nullable: true);
        // Nullable in the table so existing rows can be added; every row gets a value just below and every new row has one.
        migrationBuilder.AddColumn<DateTimeOffset>("OpenedAt", cases, type: timestamp, nullable: true);
        migrationBuilder.Sql("UPDATE \"ReviewCases\" SET \"OpenedAt\" = \"SubmittedAt\"");
        migrationBuilder.AddColumn<string>("ClaimedBy", cases, maxLength: 128, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("ClaimedAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("ClaimExpiresAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("FirstReviewedAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("SiteApprovedAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("DecidedAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<int>("ReturnCount", cases, nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<bool>("ResubmittedSinceReview", cases, nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<DateTimeOffset>("ReminderSentAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("ResponseWindowExpiredAt", cases, type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("EscalatedAt", cases, type: timestamp, nullable: true);

        migrationBuilder.CreateIndex("IX_ReviewCases_SiteCode_SubmittedAt_Id", cases, ["SiteCode", "SubmittedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_ReviewCases_AreaCode_SubmittedAt_Id", cases, ["AreaCode", "SubmittedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_ReviewCases_ClaimedBy_SubmittedAt_Id", cases, ["ClaimedBy", "SubmittedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_ReviewCases_ClaimExpiresAt", cases, "ClaimExpiresAt");
        migrationBuilder.CreateIndex("IX_ReviewCases_State_RespondBy", cases, ["State", "RespondBy"]);
        migrationBuilder.CreateIndex("IX_CaseEvents_Kind_At", "CaseEvents", ["Kind", "At"]);

        migrationBuilder.CreateTable(
            name: "ImageReviews",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                CaseId = table.Column<Guid>(nullable: false),
                ImageId = table.Column<Guid>(nullable: false),
                MaterialType = table.Column<string>(maxLength: 64, nullable: true),
                SubmissionNumber = table.Column<int>(nullable: false),
                Current = table.Column<bool>(nullable: false),
                Decision = table.Column<int>(nullable: false),
                ReasonCode = table.Column<string>(maxLength: 64, nullable: true),
                Note = table.Column<string>(maxLength: 500, nullable: true),
                DecidedBy = table.Column<string>(maxLength: 128, nullable: true),
                DecidedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
                ReplacesImageId = table.Column<Guid>(nullable: true),
                PreviousDecision = table.Column<int>(nullable: true),
                PreviousReasonCode = table.Column<string>(maxLength: 64, nullable: true),
                PreviousNote = table.Column<string>(maxLength: 500, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_ImageReviews", x => x.Id));
        migrationBuilder.CreateIndex("IX_ImageReviews_CaseId_ImageId", "ImageReviews", ["CaseId", "ImageId"], unique: true);

        migrationBuilder.CreateTable(
            name: "CandidateProfiles",
            columns: table => new
            {
                CandidateId = table.Column<Guid>(nullable: false),
                ExamCategory = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CandidateProfiles", x => x.CandidateId));

        migrationBuilder.CreateTable(
            name: "KnownImages",
            columns: table => new
            {
                ImageId = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                MaterialType = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_KnownImages", x => x.ImageId));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("KnownImages");
        migrationBuilder.DropTable("CandidateProfiles");
        migrationBuilder.DropTable("ImageReviews");
        migrationBuilder.DropIndex("IX_CaseEvents_Kind_At", "CaseEvents");
        foreach (var index in new[]
                 {
                     "IX_ReviewCases_SiteCode_SubmittedAt_Id", "IX_ReviewCases_AreaCode_SubmittedAt_Id", "IX_ReviewCases_ClaimedBy_SubmittedAt_Id",
                     "IX_ReviewCases_ClaimExpiresAt", "IX_ReviewCases_State_RespondBy",
                 })
        {
            migrationBuilder.DropIndex(index, "ReviewCases");
        }
        foreach (var column in new[]
                 {
                     "ExamCategory", "OpenedAt", "ClaimedBy", "ClaimedAt", "ClaimExpiresAt", "FirstReviewedAt", "SiteApprovedAt", "DecidedAt",
                     "ReturnCount", "ResubmittedSinceReview", "ReminderSentAt", "ResponseWindowExpiredAt", "EscalatedAt",
                 })
        {
            migrationBuilder.DropColumn(column, "ReviewCases");
        }
    }
}
