namespace JobQueue.Grains.Storage;

/// <summary>The grouping the counters table keeps: rep group, state, exit code and fail reason.</summary>
public readonly record struct CountKey(string RepGroup, JobState State, int ExitCode, string FailReason)
{
    /// <summary>The exit code recorded for jobs that never exited.</summary>
    public const int NotExited = -1;
}
