using ExamReview.ReviewWorkflow.Provincial;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the provincial review calls (provincial-v1 document).
[assembly: OpenApiExample(typeof(ProvincialDecisionRequest), """{"decision":"return","reasonCodes":["unclear","information-mismatch"],"note":"身份证正面反光，请重新拍摄。"}""")]
[assembly: OpenApiExample(typeof(ProvincialReview), """
    {"caseId":"3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01","applicationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11",
     "registrationNumber":"20274312345678","areaCode":"43","siteCode":"4301","state":"Approved","stateLabel":"审核通过","submissionNumber":1,"returnCount":0,
     "feedback":null,"respondBy":null,"awaitingCorrection":false,"siteApprovedAt":"2027-01-16T08:00:00+00:00","decidedAt":"2027-01-17T08:00:00+00:00"}
    """)]
[assembly: OpenApiExample(typeof(ProvincialTimelineEntry), """{"kind":"area-approved","actor":"湖南省报名系统","detail":"由省级系统决定","at":"2027-01-17T08:00:00+00:00"}""")]
[assembly: OpenApiExample(typeof(ProvincialReviewDetail), """
    {"review":{"caseId":"3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01","applicationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11",
     "registrationNumber":"20274312345678","areaCode":"43","siteCode":"4301","state":"AreaReview","stateLabel":"考区复审中","submissionNumber":1,"returnCount":0,
     "feedback":null,"respondBy":null,"awaitingCorrection":false,"siteApprovedAt":"2027-01-16T08:00:00+00:00","decidedAt":null},
     "eTag":"\"7\"","timeline":[{"kind":"site-approved","actor":"site-reviewer-4301","detail":"site-reviewer-4301 于 2027-01-16 15:40:00（北京时间）认领","at":"2027-01-16T08:00:00+00:00"}]}
    """)]
[assembly: OpenApiExample(typeof(ReviewFeedItem), """
    {"cursor":"ZjF8cmV2aWV3c3w0M3wwfDk","caseId":"3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01","deleted":false,"changedAt":"2027-01-17T08:00:00+00:00",
     "review":{"caseId":"3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01","applicationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11",
     "registrationNumber":"20274312345678","areaCode":"43","siteCode":"4301","state":"Rejected","stateLabel":"审核拒绝","submissionNumber":1,"returnCount":0,
     "feedback":"学历证书与报名信息不符。","respondBy":null,"awaitingCorrection":false,"siteApprovedAt":"2027-01-16T08:00:00+00:00","decidedAt":"2027-01-17T08:00:00+00:00"}}
    """)]
[assembly: OpenApiExample(typeof(ReviewFeedPage), """{"items":[],"nextCursor":"ZjF8cmV2aWV3c3w0M3wwfDk","hasMore":false}""")]
