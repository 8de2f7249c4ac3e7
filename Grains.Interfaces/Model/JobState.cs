namespace JobQueue;

/// <summary>The lifecycle states of a job, as in the model (wr's jobqueue).</summary>
[GenerateSerializer, Alias("JobQueue.JobState")]
public enum JobState
{
    /// <summary>Waiting out a delay after a failure before it becomes ready again.</summary>
    Delayed = 0,

    /// <summary>Waiting to be reserved by a runner.</summary>
    Ready = 1,

    /// <summary>Reserved by a runner that has not started the command yet.</summary>
    Reserved = 2,

    /// <summary>The command is running (or has just exited and awaits archive, release or bury).</summary>
    Running = 3,

    /// <summary>Failed for good; waits for a user to kick or delete it.</summary>
    Buried = 4,

    /// <summary>Ran successfully and was archived into the history.</summary>
    Complete = 5,
}

/// <summary>Names of <see cref="JobState"/> values as users write them.</summary>
public static class JobStates
{
    /// <summary>The lower-case name of a state ("ready", "buried", ...).</summary>
    public static string ToName(this JobState state) => state switch
    {
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
}
