using ExamReview.Registration.Api;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.OpenApi;

// The values of Registration's string-typed response fields, listed in its OpenAPI document (generated clients get unions).
[assembly: OpenApiStringEnum(typeof(StatusView), nameof(StatusView.Code), typeof(CandidateStatus))]
[assembly: OpenApiStringEnum(typeof(IdentityAccessView), nameof(IdentityAccessView.Role),
    Roles.Candidate, Roles.SiteReviewer, Roles.AreaReviewer, Roles.Operator, Roles.Province, Roles.Service)]
