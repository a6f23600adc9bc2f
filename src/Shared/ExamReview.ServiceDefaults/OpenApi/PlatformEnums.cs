using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.OpenApi;

// The roles a development token may carry, listed in every document that has the development token issuer.
[assembly: OpenApiStringEnum(typeof(TokenRequest), nameof(TokenRequest.Role),
    Roles.Candidate, Roles.SiteReviewer, Roles.AreaReviewer, Roles.Operator, Roles.Province, Roles.Service)]
