namespace JobQueue.Home;

/// <summary>Where an installation lives.</summary>
public static class JobQueueHome
{
    /// <summary>$JOBQUEUE_HOME, else ~/.jobqueue.</summary>
    public static string Default =>
        Environment.GetEnvironmentVariable("JOBQUEUE_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".jobqueue");
}
