namespace JobQueue.Client.Execution;

/// <summary>How an execution ended, and what became of the job.</summary>
/// <param name="Succeeded">The command exited 0 and the job was archived.</param>
/// <param name="ExitCode">The command's exit code (128+signal if it was killed), or -1 if it never ran.</param>
/// <param name="FailReason">Why it failed (one of <see cref="FailReasons"/>), or empty.</param>
/// <param name="State">The job's state afterwards: complete, delayed, ready or buried.</param>
/// <param name="PeakRamMb">The peak proportional memory of the command's process tree.</param>
/// <param name="CpuTime">User + system CPU of the process tree.</param>
/// <param name="Walltime">How long the command ran.</param>
public sealed record ExecutionResult(bool Succeeded, int ExitCode, string FailReason, JobState State, int PeakRamMb, TimeSpan CpuTime, TimeSpan Walltime);
