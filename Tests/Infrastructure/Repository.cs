namespace JobQueue.Tests.Infrastructure;

/// <summary>The checkout the tests were built from.</summary>
public static class Repository
{
    /// <summary>The directory holding JobQueue.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobQueue.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no JobQueue.sln above {AppContext.BaseDirectory}");
    }
}
