using ExamReview.ImageValidation.Extensions;
using ExamReview.MaterialStorage.Extensions;
using ExamReview.Notification.Extensions;
using ExamReview.Registration.Extensions;
using ExamReview.ReviewWorkflow.Extensions;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.AppHost;

/// <summary>One entry per service: its module, its database resource name and its port when distributed.</summary>
public sealed record ServiceEntry(string Name, string DatabaseResource, int PortOffset, Func<ServiceModule> CreateModule)
{
    /// <summary>Key used for service discovery (<c>services:{key}:http:0</c>), Aspire style.</summary>
    public string DiscoveryKey => Name.ToLowerInvariant();
}

public static class ServiceCatalog
{
    public static readonly IReadOnlyList<ServiceEntry> All =
    [
        new("Registration", "registrationdb", 1, () => new RegistrationModule()),
        new("MaterialStorage", "materialstoragedb", 2, () => new MaterialStorageModule()),
        new("ImageValidation", "imagevalidationdb", 3, () => new ImageValidationModule()),
        new("ReviewWorkflow", "reviewworkflowdb", 4, () => new ReviewWorkflowModule()),
        new("Notification", "notificationdb", 5, () => new NotificationModule()),
    ];
}
