using ExamReview.ImageValidation.Extensions;
using ExamReview.MaterialStorage.Extensions;
using ExamReview.Notification.Extensions;
using ExamReview.Registration.Extensions;
using ExamReview.ReviewWorkflow.Extensions;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.AppHost;

/// <summary>
/// One entry per service: its module, the connection strings it needs (database resource first), and its
/// port offset when distributed. docker-compose.yml is checked against this list by a test.
/// </summary>
public sealed record ServiceEntry(string Name, string DatabaseResource, int PortOffset, IReadOnlyList<string> Connections, Func<ServiceModule> CreateModule)
{
    /// <summary>Key used for service discovery (<c>services:{key}:http:0</c>), Aspire style.</summary>
    public string DiscoveryKey => Name.ToLowerInvariant();
}

public static class ServiceCatalog
{
    public static readonly IReadOnlyList<ServiceEntry> All =
    [
        new("Registration", "registrationdb", 1, ["registrationdb", "rabbitmq", "objectstore"], () => new RegistrationModule()),
        new("MaterialStorage", "materialstoragedb", 2, ["materialstoragedb", "rabbitmq", "objectstore"], () => new MaterialStorageModule()),
        new("ImageValidation", "imagevalidationdb", 3, ["imagevalidationdb", "rabbitmq"], () => new ImageValidationModule()),
        new("ReviewWorkflow", "reviewworkflowdb", 4, ["reviewworkflowdb", "rabbitmq"], () => new ReviewWorkflowModule()),
        new("Notification", "notificationdb", 5, ["notificationdb", "rabbitmq"], () => new NotificationModule()),
    ];
}
