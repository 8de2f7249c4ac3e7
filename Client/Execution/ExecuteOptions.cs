namespace JobQueue.Client.Execution;

/// <summary>How <see cref="JobQueueClient.ExecuteAsync"/> watches a command.</summary>
public sealed class ExecuteOptions
{
    /// <summary>How often the lease is touched while the command runs. Default: null, a quarter of the lease.</summary>
    public TimeSpan? TouchInterval { get; set; }

    /// <summary>How often memory and time are checked. Default: 1 second.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long past its reserved time a command may run before it is killed. Default: 5 minutes.</summary>
    public TimeSpan TimeMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Kill commands whose memory exceeds their reservation. Default: true.</summary>
    public bool EnforceMemory { get; set; } = true;

    /// <summary>The host name recorded on started jobs. Default: this machine's name.</summary>
    public string Host { get; set; } = Environment.MachineName;
}

/// <summary>How an execution ended, and what became of the job.</summary>
/// <param name="Succeeded">The command exited 0 and the job was archived.</param>
/// <param name="ExitCode">The command's exit code (128+signal if it was killed), or -1 if it never ran.</param>
/// <param name="FailReason">Why it failed (one of <see cref="FailReasons"/>), or empty.</param>
/// <param name="State">The job's state afterwards: complete, delayed, ready or buried.</param>
/// <param name="PeakRamMb">The peak proportional memory of the command's process tree.</param>
/// <param name="CpuTime">User + system CPU of the process tree.</param>
/// <param name="Walltime">How long the command ran.</param>
public sealed record ExecutionResult(bool Succeeded, int ExitCode, string FailReason, JobState State, int PeakRamMb, TimeSpan CpuTime, TimeSpan Walltime);
