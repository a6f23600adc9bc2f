using ExamReview.Registration.Api;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the registration flow (报名 → 上传相关材料) in Registration's OpenAPI document.
[assembly: OpenApiExample(typeof(CreateRegistrationRequest), """
    {"fullName":"张三","idNumber":"43010119900101124X","mobileNumber":"13800138000","examYear":2027,"areaCode":"43","siteCode":"4301","examCategory":"practitioner-clinical"}
    """)]
[assembly: OpenApiExample(typeof(StatusView), """{"code":"Filling","label":"填报"}""")]
[assembly: OpenApiExample(typeof(HandoverResponse), """
    {"authorization":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5kaWRhdGUifQ.c2lnbmF0dXJl","expiresAt":"2027-01-15T08:02:00+00:00","exchangePath":"/api/v1/materials/sessions","activationRequired":false}
    """)]
[assembly: OpenApiExample(typeof(IdNumberSearchRequest), """{"idNumber":"43010119900101124X"}""")]
[assembly: OpenApiExample(typeof(IdNumberMatch), """
    {"candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","registrationNumber":"20274300001234","examYear":2027,"fullName":"张三","maskedIdNumber":"4301**********124X","areaCode":"43","siteCode":"4301","identityUrl":"/api/v1/registrations/8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11/identity"}
    """)]
