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
        // overdue=true (State = Returned AND RespondBy <= now) and mine=true (my claims whose lease is live) find their
        // rows by a range on something other than the queue order, and can match thousands: the planner cannot know
        // that a past deadline goes with the returned state and expects a handful, and the seeded reviewers hold ~900
        // claims each. ReviewsApi therefore sorts these filters' keys first and reads only the page's rows; these
        // indexes carry the sort keys so that first step never reads the table. Claims are held only by cases being
        // worked on (every decision and the deadline monitor release them), so the claim indexes stay small.
        IncludeQueueOrder(builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.State), nameof(ReviewCase.RespondBy)], "IX_ReviewCases_Area_State_RespondBy")
            .HasFilter("\"RespondBy\" IS NOT NULL"));
        IncludeQueueOrder(builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.State), nameof(ReviewCase.RespondBy)], "IX_ReviewCases_Site_State_RespondBy")
            .HasFilter("\"RespondBy\" IS NOT NULL"));
        IncludeQueueOrder(builder.HasIndex([nameof(ReviewCase.SiteCode), nameof(ReviewCase.ClaimedBy), nameof(ReviewCase.ClaimExpiresAt)], "IX_ReviewCases_Site_Claimed")
            .HasFilter("\"ClaimedBy\" IS NOT NULL"));
        IncludeQueueOrder(builder.HasIndex([nameof(ReviewCase.AreaCode), nameof(ReviewCase.ClaimedBy), nameof(ReviewCase.ClaimExpiresAt)], "IX_ReviewCases_Area_Claimed")
            .HasFilter("\"ClaimedBy\" IS NOT NULL"));
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

    private static void IncludeQueueOrder(IndexBuilder<ReviewCase> index) =>
        index.IncludeProperties(nameof(ReviewCase.SubmittedAt), nameof(ReviewCase.Id));
}
