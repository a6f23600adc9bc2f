using ExamReview.ImageValidation.Extensions;
using ExamReview.MaterialStorage.Extensions;
using ExamReview.Notification.Extensions;
using ExamReview.Registration.Extensions;
using ExamReview.ReviewWorkflow.Extensions;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.Embedded;

/// <summary>
/// One entry per service: its module, the connection strings it needs (its database resource, null for a service
/// that keeps no state, first) and the object store bucket it works in. Services that share a bucket name the same
/// one: MaterialStorage and ImageValidation exchange images as keys in <c>examreview-materials</c> (claim check),
/// each through its own grants. The Aspire AppHost models the same services as project resources;
/// docker-compose.yml is checked against this list.
/// </summary>
public sealed record ServiceEntry(string Name, string? DatabaseResource, IReadOnlyList<string> Connections, Func<ServiceModule> CreateModule, string? Bucket = null)
{
    /// <summary>Key used for service discovery (<c>services:{key}:http:0</c>) and as the Aspire resource name.</summary>
    public string DiscoveryKey => Name.ToLowerInvariant();
}

public static class ServiceCatalog
{
    /// <summary>The bucket of document images: originals (MaterialStorage's) and reviewer copies (ImageValidation's).</summary>
    public const string MaterialsBucket = "examreview-materials";

    public static readonly IReadOnlyList<ServiceEntry> All =
    [
        new("Registration", "registrationdb", ["registrationdb", "rabbitmq", "objectstore"], () => new RegistrationModule(), Bucket: "examreview-registration"),
        new("MaterialStorage", "materialstoragedb", ["materialstoragedb", "rabbitmq", "objectstore"], () => new MaterialStorageModule(), Bucket: MaterialsBucket),
        new("ImageValidation", null, ["rabbitmq", "objectstore"], () => new ImageValidationModule(), Bucket: MaterialsBucket),
        new("ReviewWorkflow", "reviewworkflowdb", ["reviewworkflowdb", "rabbitmq"], () => new ReviewWorkflowModule()),
        new("Notification", "notificationdb", ["notificationdb", "rabbitmq"], () => new NotificationModule()),
    ];
}
