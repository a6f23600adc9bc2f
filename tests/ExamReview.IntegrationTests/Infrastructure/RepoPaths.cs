namespace ExamReview.IntegrationTests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding ExamReview.sln), found from the test binaries.</summary>
    public static string Root { get; } = Find();

    public static string AppHostAssembly
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var path = Path.Combine(Root, "src", "AppHost", "ExamReview.AppHost", "bin", configuration, "net10.0", "ExamReview.AppHost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the AppHost is launched from its own output.", path);
        }
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
