namespace ExamReview.IntegrationTests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding ExamReview.sln), found from the test binaries.</summary>
    public static string Root { get; } = Find();

    /// <summary>The embedded default's host (the README's run command).</summary>
    public static string EmbeddedAssembly => HostAssembly("ExamReview.Embedded");

    /// <summary>The .NET Aspire AppHost (the distributed topology).</summary>
    public static string AppHostAssembly => HostAssembly("ExamReview.AppHost");

    private static string HostAssembly(string project)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var path = Path.Combine(Root, "src", "AppHost", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the host is launched from its own output.", path);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExamReview.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ExamReview.sln not found above " + AppContext.BaseDirectory);
    }
}
