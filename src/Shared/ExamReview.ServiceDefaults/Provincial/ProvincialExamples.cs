using ExamReview.ServiceDefaults.OpenApi;
using ExamReview.ServiceDefaults.Provincial;

// The client-credentials grant's request and answer (provincial-v1 document).
[assembly: OpenApiExample(typeof(ClientTokenForm), """{"grant_type":"client_credentials","client_id":"hunan-sync","client_secret":"s3cr3t-from-the-platform"}""")]
[assembly: OpenApiExample(typeof(ClientTokenResponse), """{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoicHJvdmluY2UifQ.c2lnbmF0dXJl","token_type":"Bearer","expires_in":3600}""")]
