using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of result publication (本轮审核结束 → 发布结果) in ReviewWorkflow's OpenAPI document.
[assembly: OpenApiExample(typeof(ScheduleRoundRequest), """{"endsAt":"2027-03-20T10:00:00+08:00"}""")]
[assembly: OpenApiExample(typeof(RoundView), """
    {"openRoundId":"0193b0a2-6c1e-7d3f-9a4b-5c6d7e8f9a01","level":"area","scopeCode":"43","mode":"HeldUntilRoundCloses",
     "openedAt":"2027-03-01T01:00:00+00:00","endsAt":"2027-03-20T02:00:00+00:00","held":187,
     "lastRoundId":null,"lastClosedAt":null,"lastPublished":0,"lastWithdrawn":0}
    """)]
[assembly: OpenApiExample(typeof(RoundPublishedView), """
    {"roundId":"0193b0a2-6c1e-7d3f-9a4b-5c6d7e8f9a01","level":"area","scopeCode":"43","published":185,"withdrawn":2,"closedAt":"2027-03-20T02:00:03+00:00"}
    """)]
