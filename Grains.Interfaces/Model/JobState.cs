namespace JobQueue;

/// <summary>The lifecycle states of a job, as in the model (wr's jobqueue).</summary>
[GenerateSerializer, Alias("JobQueue.JobState")]
public enum JobState
{
    /// <summary>Waiting for its dependencies to complete (first in order, so that "not leased, not complete" is one range).</summary>
    Dependent = -1,

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
