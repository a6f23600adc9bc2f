using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Provincial;

namespace ExamReview.ReviewWorkflow.Provincial;

/// <summary>Cases opened before the reviews feed existed: their current result (held results masked) enters the feed once.</summary>
public static class ReviewFeedBackfill
{
    public static readonly IFeedBackfillSource<ReviewDbContext>[] Sources =
    [
        new FeedBackfillSource<ReviewDbContext, ReviewCase>(ReviewFeedProjection.Feed, ReviewFeedProjection.Kind, new ReviewFeedProjection(), c => c.Id),
    ];
}
