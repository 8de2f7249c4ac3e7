namespace JobQueue;

/// <summary>What a runner reports when the command ends.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobEndReport")]
public sealed record JobEndReport(
    [property: Id(0)] int ExitCode,
    [property: Id(1)] int PeakRamMb,
    [property: Id(2)] TimeSpan CpuTime,
    [property: Id(3)] byte[]? StdOut,
    [property: Id(4)] byte[]? StdErr);
