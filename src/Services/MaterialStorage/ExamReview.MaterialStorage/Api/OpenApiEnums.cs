using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.OpenApi;

// The values of MaterialStorage's string-typed response fields, listed in its OpenAPI document (generated clients get
// unions). Material type codes are not listed: they are catalog data, loaded per exam year and area.
[assembly: OpenApiStringEnum(typeof(ApplicationView), nameof(ApplicationView.State), typeof(ApplicationState))]
[assembly: OpenApiStringEnum(typeof(ApplicationView), nameof(ApplicationView.SubmissionMode), typeof(SubmissionMode))]
[assembly: OpenApiStringEnum(typeof(AreaSettingsView), nameof(AreaSettingsView.SubmissionMode), typeof(SubmissionMode))]
[assembly: OpenApiStringEnum(typeof(ImageView), nameof(ImageView.Validation), typeof(ValidationState))]
[assembly: OpenApiStringEnum(typeof(ImageView), nameof(ImageView.Review), typeof(ImageReviewState))]
[assembly: OpenApiStringEnum(typeof(ImageView), nameof(ImageView.LockState), typeof(ImageLock))]
[assembly: OpenApiStringEnum(typeof(ChecklistItem), nameof(ChecklistItem.Requirement),
    RequirementNames.Required, RequirementNames.Optional, RequirementNames.NotApplicable)]
