namespace ExamReview.AppHost;

/// <summary>
/// Prints <c>Service URL</c> once a service passes its health check — the same lines the embedded run prints, so
/// a person (or a script) sees where each service listens.
/// </summary>
internal static class ReadyLines
{
    private static readonly Dictionary<string, string> DisplayNames = new(StringComparer.Ordinal)
    {
        ["registration"] = "Registration",
        ["materialstorage"] = "MaterialStorage",
        ["imagevalidation"] = "ImageValidation",
        ["reviewworkflow"] = "ReviewWorkflow",
        ["notification"] = "Notification",
    };

    public static void Print(IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] services) =>
        Print(builder, services.Select(s => (DisplayNames.GetValueOrDefault(s.Resource.Name, s.Resource.Name), s)).ToArray());

    public static void Print(IDistributedApplicationBuilder builder, params (string DisplayName, IResourceBuilder<ProjectResource> Service)[] services)
    {
        foreach (var (displayName, service) in services)
        {
            var endpoint = service.GetEndpoint("http");
            builder.Eventing.Subscribe<ResourceReadyEvent>(service.Resource, (_, _) =>
            {
                Console.WriteLine($"{displayName} {endpoint.Url}");
                return Task.CompletedTask;
            });
        }
    }
}
