namespace JobQueue;

/// <summary>Names of <see cref="JobState"/> values as users write them.</summary>
public static class JobStates
{
    /// <summary>The lower-case name of a state ("ready", "buried", ...).</summary>
    public static string ToName(this JobState state) => state switch
    {
        JobState.Dependent => "dependent",
        JobState.Delayed => "delayed",
        JobState.Ready => "ready",
        JobState.Reserved => "reserved",
        JobState.Running => "running",
        JobState.Buried => "buried",
        JobState.Complete => "complete",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown job state"),
    };

    /// <summary>Parses a state name case-insensitively.</summary>
    public static bool TryParse(string? name, out JobState state)
    {
        foreach (var candidate in Enum.GetValues<JobState>())
        {
            if (string.Equals(candidate.ToName(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>True for the states in which a runner holds the job's lease.</summary>
    public static bool IsLeased(this JobState state) => state is JobState.Reserved or JobState.Running;

    /// <summary>
    /// True for a job started when it was reserved whose command is not known to have run: running, with no pid
    /// reported (0) and no end recorded. The manager gives such a job back as if only reserved; a runner executes it.
    /// </summary>
    public static bool AwaitingPid(JobState state, int pid, bool exited) => state == JobState.Running && pid == 0 && !exited;
}
