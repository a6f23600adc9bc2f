using ExamReview.ImageValidation.Extensions;
using ExamReview.MaterialStorage.Extensions;
using ExamReview.Notification.Extensions;
using ExamReview.Registration.Extensions;
using ExamReview.ReviewWorkflow.Extensions;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.Embedded;

/// <summary>
/// One entry per service: its module and the connection strings it needs (database resource first). The Aspire
/// AppHost models the same five services as project resources; docker-compose.yml is checked against this list.
/// </summary>
public sealed record ServiceEntry(string Name, string DatabaseResource, IReadOnlyList<string> Connections, Func<ServiceModule> CreateModule)
{
    /// <summary>Key used for service discovery (<c>services:{key}:http:0</c>) and as the Aspire resource name.</summary>
    public string DiscoveryKey => Name.ToLowerInvariant();
}

public static class ServiceCatalog
{
    public static readonly IReadOnlyList<ServiceEntry> All =
    [
        new("Registration", "registrationdb", ["registrationdb", "rabbitmq", "objectstore"], () => new RegistrationModule()),
        new("MaterialStorage", "materialstoragedb", ["materialstoragedb", "rabbitmq", "objectstore"], () => new MaterialStorageModule()),
        new("ImageValidation", "imagevalidationdb", ["imagevalidationdb", "rabbitmq"], () => new ImageValidationModule()),
        new("ReviewWorkflow", "reviewworkflowdb", ["reviewworkflowdb", "rabbitmq"], () => new ReviewWorkflowModule()),
        new("Notification", "notificationdb", ["notificationdb", "rabbitmq"], () => new NotificationModule()),
    ];
}
