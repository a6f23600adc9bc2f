using ExamReview.Registration.Accounts;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the candidate account flow (设置密码激活 → 证件号码 + 密码 → 短信验证码) in Registration's OpenAPI document.
[assembly: OpenApiExample(typeof(ActivationRequest), """{"authorization":"eyJhbGciOiJIUzI1NiJ9.eyJwdXJwb3NlIjoiYWNjb3VudC1hY3RpdmF0aW9uIn0.c2lnbmF0dXJl","password":"Yikao#2027"}""")]
[assembly: OpenApiExample(typeof(SignInRequest), """{"idNumber":"370102199001011231","password":"Yikao#2027"}""")]
[assembly: OpenApiExample(typeof(CodeRequest), """{"challengeId":"0193b0a2-6c1e-7d3f-9a4b-5c6d7e8f9a01","code":"482915"}""")]
[assembly: OpenApiExample(typeof(PasswordResetRequest), """{"idNumber":"370102199001011231"}""")]
[assembly: OpenApiExample(typeof(PasswordResetConfirmation), """{"challengeId":"0193b0a2-6c1e-7d3f-9a4b-5c6d7e8f9a01","code":"482915","newPassword":"Shandong@2027"}""")]
[assembly: OpenApiExample(typeof(CodeSentResponse), """{"challengeId":"0193b0a2-6c1e-7d3f-9a4b-5c6d7e8f9a01","expiresAt":"2027-01-15T08:05:00+00:00","maskedMobile":"138****8000"}""")]
[assembly: OpenApiExample(typeof(SignedInResponse), """
    {"accessToken":"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY2FuZGlkYXRlIiwic2lkIjoiMDE5M2IwYTIifQ.c2lnbmF0dXJl","expiresAt":"2027-01-15T09:00:00+00:00",
     "candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","sessionId":"0193b0a2-7d2f-7e40-8b5c-6d7e8f9a0b12"}
    """)]
[assembly: OpenApiExample(typeof(SignedOutResponse), """{"sessionsEnded":2}""")]
[assembly: OpenApiExample(typeof(AccountAuditPage), """
    {"items":[{"id":"0193b0a2-8e3f-7f51-9c6d-7e8f9a0b1c23","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","at":"2027-01-15T08:01:00+00:00",
      "kind":"LockedOut","detail":"locked until 2027-01-15T08:16:00.0000000+00:00","clientAddress":"203.0.113.7","sessionId":null}]}
    """)]
