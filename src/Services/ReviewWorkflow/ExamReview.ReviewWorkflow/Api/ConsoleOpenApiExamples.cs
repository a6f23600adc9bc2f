using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.OpenApi;

// Examples and enums of what the reviewer console reads beside the queue: counts per stage, a return's preview, the trends.
[assembly: OpenApiStringEnum(typeof(StageCount), nameof(StageCount.Stage),
    ReviewStages.Submitted, ReviewStages.Resubmitted, ReviewStages.UnderSiteReview, ReviewStages.SiteApproved,
    ReviewStages.UnderAreaReview, ReviewStages.Returned, ReviewStages.Approved, ReviewStages.Rejected)]
[assembly: OpenApiStringEnum(typeof(ReturnPreview), nameof(ReturnPreview.Level), "site", "area")]
[assembly: OpenApiExample(typeof(StageCounts), """
    {"stages":[{"stage":"Submitted","count":120},{"stage":"Resubmitted","count":8},{"stage":"UnderSiteReview","count":5},
     {"stage":"SiteApproved","count":40},{"stage":"UnderAreaReview","count":2},{"stage":"Returned","count":17},
     {"stage":"Approved","count":310},{"stage":"Rejected","count":3}],"overdue":2,"escalated":0}
    """)]
[assembly: OpenApiExample(typeof(ReturnPreview), """
    {"feedback":"请按要求更换标记的图片后重新提交。\n有效身份证明图片：图片不清晰（身份证正面反光，号码看不清）","respondBy":"2026-05-02T09:30:00+00:00",
     "areaCode":"43","level":"site","registrationData":false,
     "imagesToReplace":[{"imageId":"0b6f8f4e-6a0c-4d5e-9a51-2f7d7f1e4c21","materialName":"有效身份证明","reasonCode":"unclear","reason":"图片不清晰","note":"身份证正面反光，号码看不清"}]}
    """)]
[assembly: OpenApiExample(typeof(ReviewTrends), """
    {"from":"2026-04-17T00:00:00+00:00","to":"2026-05-01T00:00:00+00:00","areaCode":"43",
     "throughputPerDay":[{"day":"2026-04-30","approved":52,"returned":9,"rejected":1}],
     "timeToFirstReview":{"count":61,"medianSeconds":5400,"p90Seconds":30600},"casesReviewed":61,"returnRate":0.16,
     "returnRateByReason":[{"reasonCode":"unclear","reason":"图片不清晰","images":7,"cases":6,"rate":0.0984}]}
    """)]
