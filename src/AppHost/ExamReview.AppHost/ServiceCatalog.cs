using ExamReview.ImageValidation.Extensions;
using ExamReview.MaterialStorage.Extensions;
using ExamReview.Notification.Extensions;
using ExamReview.Registration.Extensions;
using ExamReview.ReviewWorkflow.Extensions;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.AppHost;

/// <summary>
/// One entry per service: its module, the connection strings it needs (its database resource, null for a
/// service that keeps no state, first), its port offset when distributed and the object store bucket it works
/// in. Services that share a bucket name the same one: MaterialStorage and ImageValidation exchange images as
/// keys in <c>examreview-materials</c> (claim check), each through its own grants. docker-compose.yml is
/// checked against this list by a test.
/// </summary>
public sealed record ServiceEntry(
    string Name, string? DatabaseResource, int PortOffset, IReadOnlyList<string> Connections, Func<ServiceModule> CreateModule, string? Bucket = null)
{
    /// <summary>Key used for service discovery (<c>services:{key}:http:0</c>), Aspire style.</summary>
    public string DiscoveryKey => Name.ToLowerInvariant();
}

public static class ServiceCatalog
{
    /// <summary>The bucket of document images: originals (MaterialStorage's) and reviewer copies (ImageValidation's).</summary>
    public const string MaterialsBucket = "examreview-materials";

    public static readonly IReadOnlyList<ServiceEntry> All =
    [
        new("Registration", "registrationdb", 1, ["registrationdb", "rabbitmq", "objectstore"], () => new RegistrationModule(), Bucket: "examreview-registration"),
        new("MaterialStorage", "materialstoragedb", 2, ["materialstoragedb", "rabbitmq", "objectstore"], () => new MaterialStorageModule(), Bucket: MaterialsBucket),
        new("ImageValidation", null, 3, ["rabbitmq", "objectstore"], () => new ImageValidationModule(), Bucket: MaterialsBucket),
        new("ReviewWorkflow", "reviewworkflowdb", 4, ["reviewworkflowdb", "rabbitmq"], () => new ReviewWorkflowModule()),
        new("Notification", "notificationdb", 5, ["notificationdb", "rabbitmq"], () => new NotificationModule()),
    ];
}
