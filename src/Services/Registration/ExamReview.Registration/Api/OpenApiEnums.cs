using ExamReview.Registration.Api;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.OpenApi;

// The values of Registration's string-typed response fields, listed in its OpenAPI document (generated clients get unions).
[assembly: OpenApiStringEnum(typeof(StatusView), nameof(StatusView.Code), typeof(CandidateStatus))]
[assembly: OpenApiStringEnum(typeof(IdentityAccessView), nameof(IdentityAccessView.Role),
    Roles.Candidate, Roles.SiteReviewer, Roles.AreaReviewer, Roles.Operator, Roles.Province, Roles.Service)]
// Requests: the lists the handlers validate against.
[assembly: OpenApiStringEnum(typeof(CreateRegistrationRequest), nameof(CreateRegistrationRequest.ExamCategory), typeof(ExamCategories), nameof(ExamCategories.All))]
[assembly: OpenApiStringEnum(typeof(ProfileRequest), nameof(ProfileRequest.EducationLevel), typeof(ProfileValues), nameof(ProfileValues.EducationLevels))]
[assembly: OpenApiStringEnum(typeof(ProfileRequest), nameof(ProfileRequest.PostgraduateStatus), typeof(ProfileValues), nameof(ProfileValues.PostgraduateStatuses))]
[assembly: OpenApiStringEnum(typeof(ProfileRequest), nameof(ProfileRequest.EmployerType), typeof(ProfileValues), nameof(ProfileValues.EmployerTypes))]
[assembly: OpenApiStringEnum(typeof(ProfileRequest), nameof(ProfileRequest.Nationality), typeof(ProfileValues), nameof(ProfileValues.Nationalities))]
[assembly: OpenApiStringEnum(typeof(ProfileRequest), nameof(ProfileRequest.QualificationRoute), typeof(ProfileValues), nameof(ProfileValues.QualificationRoutes))]
[assembly: OpenApiStringEnum(typeof(ProfileView), nameof(ProfileView.EducationLevel), typeof(ProfileValues), nameof(ProfileValues.EducationLevels))]
[assembly: OpenApiStringEnum(typeof(ProfileView), nameof(ProfileView.PostgraduateStatus), typeof(ProfileValues), nameof(ProfileValues.PostgraduateStatuses))]
[assembly: OpenApiStringEnum(typeof(ProfileView), nameof(ProfileView.EmployerType), typeof(ProfileValues), nameof(ProfileValues.EmployerTypes))]
[assembly: OpenApiStringEnum(typeof(ProfileView), nameof(ProfileView.Nationality), typeof(ProfileValues), nameof(ProfileValues.Nationalities))]
[assembly: OpenApiStringEnum(typeof(ProfileView), nameof(ProfileView.QualificationRoute), typeof(ProfileValues), nameof(ProfileValues.QualificationRoutes))]
[assembly: OpenApiStringEnum(typeof(RegistrationResponse), nameof(RegistrationResponse.ExamCategory), typeof(ExamCategories), nameof(ExamCategories.All))]
