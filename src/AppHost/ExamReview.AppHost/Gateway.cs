namespace ExamReview.AppHost;

/// <summary>
/// The gateway (<c>src/Gateway/ExamReview.Gateway</c>, YARP): the browser's one origin. It reaches each service by
/// its resource name through service discovery (the references below inject <c>services:&lt;name&gt;:http:0</c>) and
/// serves the reviewer console's build (<c>console/dist</c>, found from the repository) at <c>/console/</c>.
/// </summary>
internal static class Gateway
{
    public static IResourceBuilder<ProjectResource> Attach(IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] services)
    {
        var gateway = builder.AddProject<Projects.ExamReview_Gateway>("gateway")
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithUrlForEndpoint("http", _ => new() { Url = "/console/", DisplayText = "审核工作台" })
            .WithEnvironment("Console__Root", Path.Combine(RepositoryRoot(builder.AppHostDirectory), "console", "dist"));
        foreach (var service in services)
        {
            gateway.WithReference(service).WaitFor(service);
        }
        ReadyLines.Print(builder, ("Gateway", gateway));
        return gateway;
    }

    private static string RepositoryRoot(string appHostDirectory) =>
        Path.GetFullPath(Path.Combine(appHostDirectory, "..", "..", ".."));
}
