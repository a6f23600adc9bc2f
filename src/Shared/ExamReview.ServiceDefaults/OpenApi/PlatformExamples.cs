using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.OpenApi;

// The development token issuer's request and answer, in every document that has it.
[assembly: OpenApiExample(typeof(TokenRequest), """{"subject":"me","role":"candidate","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11"}""")]
[assembly: OpenApiExample(typeof(TokenResponse), """{"accessToken":"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY2FuZGlkYXRlIn0.c2lnbmF0dXJl","expiresAt":"2027-01-15T09:00:00+00:00"}""")]
