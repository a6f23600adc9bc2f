using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ReviewWorkflow.Data;

/// <summary>
/// Indexes for the queue filters that select a few cases out of millions (issue 19, measured at 10,000,000 cases with
/// src/Services/ReviewWorkflow/scripts/queue-scale.sh): without them "overdue" scanned every returned case in the
/// country through (State, RespondBy) and "resubmitted"/"escalated" walked a whole site's or area's history. Partial
/// indexes hold only the rows the filter can match, so they stay small and cost almost nothing on writes; the queue
/// query writes those two filters as literals (ReviewsApi) so the planner can use them.
/// </summary>
internal sealed class ReviewCaseQueueIndexes : IEntityTypeConfiguration<ReviewCase>
{
    public void Configure(EntityTypeBuilder<ReviewCase> builder)
    {
        // overdue=true: State = Returned AND RespondBy <= now, newest window first found by range, then the page sorted.
        builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.State), nameof(ReviewCase.RespondBy)], "IX_ReviewCases_Area_State_RespondBy")
            .HasFilter("\"RespondBy\" IS NOT NULL");
        builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.State), nameof(ReviewCase.RespondBy)], "IX_ReviewCases_Site_State_RespondBy")
            .HasFilter("\"RespondBy\" IS NOT NULL");
        // resubmitted=true and escalated=true, in queue order.
        builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.SubmittedAt), nameof(ReviewCase.Id)], "IX_ReviewCases_Site_Resubmitted")
            .HasFilter("\"ResubmittedSinceReview\"");
        builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.SubmittedAt), nameof(ReviewCase.Id)], "IX_ReviewCases_Area_Resubmitted")
            .HasFilter("\"ResubmittedSinceReview\"");
        builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.SubmittedAt), nameof(ReviewCase.Id)], "IX_ReviewCases_Site_Escalated")
            .HasFilter("\"EscalatedAt\" IS NOT NULL");
        builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.SubmittedAt), nameof(ReviewCase.Id)], "IX_ReviewCases_Area_Escalated")
            .HasFilter("\"EscalatedAt\" IS NOT NULL");
        // Operator metrics for one area: its period's cases by first review and final decision, not the country's.
        builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.FirstReviewedAt)], "IX_ReviewCases_Area_FirstReviewedAt")
            .HasFilter("\"FirstReviewedAt\" IS NOT NULL");
        builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.DecidedAt)], "IX_ReviewCases_Area_DecidedAt")
            .HasFilter("\"DecidedAt\" IS NOT NULL");
        // ... and for one site, whose figures are always computed exactly from its cases (ReviewMetricsQuery).
        builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.FirstReviewedAt)], "IX_ReviewCases_Site_FirstReviewedAt")
            .HasFilter("\"FirstReviewedAt\" IS NOT NULL");
        builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.DecidedAt)], "IX_ReviewCases_Site_DecidedAt")
            .HasFilter("\"DecidedAt\" IS NOT NULL");
    }
}
