using ExamReview.Registration.Api;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the registration flow (报名 → 上传相关材料) in Registration's OpenAPI document.
[assembly: OpenApiExample(typeof(CreateRegistrationRequest), """
    {"fullName":"张三","idNumber":"43010119900101123X","mobileNumber":"13800138000","examYear":2027,"areaCode":"43","siteCode":"4301","examCategory":"practitioner-clinical"}
    """)]
[assembly: OpenApiExample(typeof(StatusView), """{"code":"Filling","label":"填报"}""")]
[assembly: OpenApiExample(typeof(HandoverResponse), """
    {"authorization":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5kaWRhdGUifQ.c2lnbmF0dXJl","expiresAt":"2027-01-15T08:02:00+00:00","exchangePath":"/api/v1/materials/sessions","activationRequired":false}
    """)]
