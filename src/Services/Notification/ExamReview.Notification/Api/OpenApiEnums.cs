using ExamReview.Notification.Api;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.OpenApi;

// The values of Notification's string-typed response fields, listed in its OpenAPI document (generated clients get unions).
[assembly: OpenApiStringEnum(typeof(SmsView), nameof(SmsView.Status), typeof(SmsStatus))]
[assembly: OpenApiStringEnum(typeof(SmsView), nameof(SmsView.Delivery), typeof(SmsDeliveryState))]
[assembly: OpenApiStringEnum(typeof(InAppMessageView), nameof(InAppMessageView.Kind),
    InAppMessageKinds.Feedback, InAppMessageKinds.Decision, InAppMessageKinds.Reminder, InAppMessageKinds.Notice)]
