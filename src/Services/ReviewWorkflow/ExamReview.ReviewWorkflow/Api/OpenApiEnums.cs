using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.OpenApi;

// The values of ReviewWorkflow's string-typed fields, listed in its OpenAPI document (generated clients get unions):
// case states and stages, image decisions, and the replacement reason codes (GET /api/v1/reviews/reason-codes).
[assembly: OpenApiStringEnum(typeof(CaseView), nameof(CaseView.State), typeof(CaseState))]
[assembly: OpenApiStringEnum(typeof(CaseView), nameof(CaseView.Stage),
    ReviewStages.Submitted, ReviewStages.Resubmitted, ReviewStages.UnderSiteReview, ReviewStages.SiteApproved,
    ReviewStages.UnderAreaReview, ReviewStages.Returned, ReviewStages.Approved, ReviewStages.Rejected)]
[assembly: OpenApiStringEnum(typeof(StatusCount), nameof(StatusCount.State), typeof(CaseState))]
[assembly: OpenApiStringEnum(typeof(ImageReviewView), nameof(ImageReviewView.Decision), typeof(ImageDecision))]
[assembly: OpenApiStringEnum(typeof(ImageReviewView), nameof(ImageReviewView.PreviousDecision), typeof(ImageDecision))]
// An image's reason may also be the one the domain assigns (check-failed); a reviewer's request offers only the catalog.
[assembly: OpenApiStringEnum(typeof(ImageReviewView), nameof(ImageReviewView.ReasonCode),
    "unclear", "incomplete", "wrong-orientation", "wrong-material-type", "expired", "information-mismatch", "missing-seal", "other", "check-failed")]
[assembly: OpenApiStringEnum(typeof(ReplacementRequest), nameof(ReplacementRequest.ReasonCode),
    "unclear", "incomplete", "wrong-orientation", "wrong-material-type", "expired", "information-mismatch", "missing-seal", "other")]
