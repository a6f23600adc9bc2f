using ExamReview.Registration.Api;
using ExamReview.Registration.Provincial;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the provincial integration calls of Registration (provincial-v1 document).
[assembly: OpenApiExample(typeof(ProvincialRegistration), """
    {"candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","registrationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a81","registrationNumber":"20274312345678",
     "examYear":2027,"areaCode":"43","siteCode":"4301","examCategory":"practitioner-clinical","fullName":"张三","maskedIdNumber":"4301**********124X",
     "mobileNumber":"13800138000","status":{"code":"SiteApproved","label":"考点通过"},"feedback":null,"updatedAt":"2027-01-15T08:00:00+00:00","eTag":"\"2\""}
    """)]
[assembly: OpenApiExample(typeof(RegistrationFeedItem), """
    {"cursor":"ZjF8cmVnaXN0cmF0aW9uc3w0M3wwfDE3","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","deleted":false,"changedAt":"2027-01-15T08:00:00+00:00",
     "registration":{"candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","registrationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a81","registrationNumber":"20274312345678",
     "examYear":2027,"areaCode":"43","siteCode":"4301","examCategory":"practitioner-clinical","fullName":"张三","maskedIdNumber":"4301**********124X",
     "mobileNumber":"13800138000","status":{"code":"Filling","label":"填报"},"feedback":null,"updatedAt":"2027-01-15T08:00:00+00:00","eTag":"\"1\""}}
    """)]
[assembly: OpenApiExample(typeof(RegistrationFeedPage), """
    {"items":[{"cursor":"ZjF8cmVnaXN0cmF0aW9uc3w0M3wwfDE3","candidateId":"5b0e7c1d-2a3f-4e5d-8c9b-0a1f2e3d4c5b","deleted":true,"changedAt":"2027-01-15T08:00:00+00:00","registration":null}],
     "nextCursor":"ZjF8cmVnaXN0cmF0aW9uc3w0M3wwfDE3","hasMore":false}
    """)]
[assembly: OpenApiExample(typeof(CorrectionRequest), """
    {"fullName":"张三丰","idNumber":null,"examCategory":null,"mobileNumber":null,"reason":"省报名系统核对户籍信息后更正姓名"}
    """)]
