using ExamReview.MaterialStorage.Provincial;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the provincial applications feed (provincial-v1 document).
[assembly: OpenApiExample(typeof(ProvincialApplication), """
    {"applicationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","registrationNumber":"20274312345678",
     "examYear":2027,"areaCode":"43","siteCode":"4301","state":"Submitted","submissionNumber":1,"submittedAt":"2027-01-15T08:00:00+00:00","feedback":null}
    """)]
[assembly: OpenApiExample(typeof(ProvincialMaterial), """
    {"imageId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a83","applicationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11",
     "materialType":"id-card-front","contentType":"image/jpeg","length":153210,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "validation":"Passed","review":"None","uploadedAt":"2027-01-15T07:55:00+00:00"}
    """)]
[assembly: OpenApiExample(typeof(ApplicationFeedItem), """
    {"cursor":"ZjF8YXBwbGljYXRpb25zfDQzfDB8NDI","kind":"material","id":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a83","deleted":true,"changedAt":"2027-01-15T08:00:00+00:00",
     "application":null,"material":null}
    """)]
[assembly: OpenApiExample(typeof(ApplicationFeedPage), """
    {"items":[{"cursor":"ZjF8YXBwbGljYXRpb25zfDQzfDB8NDE","kind":"application","id":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","deleted":false,"changedAt":"2027-01-15T08:00:00+00:00",
     "application":{"applicationId":"0192f3a1-7c2e-7b4d-9a10-3c4d5e6f7a82","candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","registrationNumber":"20274312345678",
     "examYear":2027,"areaCode":"43","siteCode":"4301","state":"Open","submissionNumber":0,"submittedAt":null,"feedback":null},"material":null}],
     "nextCursor":"ZjF8YXBwbGljYXRpb25zfDQzfDB8NDE","hasMore":false}
    """)]
