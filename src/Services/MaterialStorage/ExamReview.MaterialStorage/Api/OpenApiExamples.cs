using ExamReview.MaterialStorage.Api;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the material flow (会话 → 上传 → 提交审核) in MaterialStorage's OpenAPI document.
[assembly: OpenApiExample(typeof(SessionRequest), """{"authorization":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5kaWRhdGUifQ.c2lnbmF0dXJl"}""")]
[assembly: OpenApiExample(typeof(SessionResponse), """
    {"accessToken":"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY2FuZGlkYXRlIn0.c2lnbmF0dXJl","expiresAt":"2027-01-15T09:00:00+00:00","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","registrationNumber":"20274312345678"}
    """)]
[assembly: OpenApiExample(typeof(ImageView), """
    {"imageId":"0b6f8f4e-6a0c-4d5e-9a51-2f7d7f1e4c21","materialType":"id-card-front","contentType":"image/jpeg","length":183204,
     "sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","fileName":"身份证正面.jpg","validation":"Pending",
     "findings":[],"review":"None","locked":false,"approved":false,"uploadedAt":"2027-01-15T08:03:10+00:00","lockState":"Open","lockLabel":"可修改"}
    """)]
[assembly: OpenApiExample(typeof(SubmitResponse), """{"message":"上报完成，内容已锁定","submissionNumber":1,"submittedAt":"2027-01-15T08:30:00+00:00"}""")]
