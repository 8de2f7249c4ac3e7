namespace JobQueue;

/// <summary>
/// What a runner reports when the command ends; <see cref="Pid"/> (0: not given) is the command's process, for a job
/// started when it was reserved whose pid was not reported yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobEndReport")]
public sealed record JobEndReport(
    [property: Id(0)] int ExitCode,
    [property: Id(1)] int PeakRamMb,
    [property: Id(2)] TimeSpan CpuTime,
    [property: Id(3)] byte[]? StdOut,
    [property: Id(4)] byte[]? StdErr,
    [property: Id(5)] int Pid = 0);
