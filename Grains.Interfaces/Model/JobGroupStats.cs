namespace JobQueue;

/// <summary>
/// One group of a rep group's jobs (same state, exit code and fail reason): how many, and, over those that ran,
/// the spread and histograms of their peak memory, wall time and CPU time. Kept as jobs change, never scanned.
/// </summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobGroupStats")]
public sealed record JobGroupStats
{
    /// <summary>The jobs' state.</summary>
    [Id(0)] public JobState State { get; init; }

    /// <summary>Their exit code (-1 if they never exited).</summary>
    [Id(1)] public int ExitCode { get; init; }

    /// <summary>Their fail reason ("" if none).</summary>
    [Id(2)] public string FailReason { get; init; } = "";

    /// <summary>How many jobs (runs, for complete ones) are in the group.</summary>
    [Id(3)] public long Count { get; init; }

    /// <summary>How many of them ran and were measured.</summary>
    [Id(4)] public long Measured { get; init; }

    /// <summary>Peak memory in MB.</summary>
    [Id(5)] public Spread PeakRamMb { get; init; }

    /// <summary>Wall time in seconds.</summary>
    [Id(6)] public Spread WallSeconds { get; init; }

    /// <summary>CPU time in seconds.</summary>
    [Id(7)] public Spread CpuSeconds { get; init; }

    /// <summary>Measured runs per bucket of <see cref="RunBuckets.RamMb"/>.</summary>
    [Id(8)] public IReadOnlyList<long> RamHistogram { get; init; } = [];

    /// <summary>Measured runs per bucket of <see cref="RunBuckets.WallSeconds"/>.</summary>
    [Id(9)] public IReadOnlyList<long> WallHistogram { get; init; } = [];
}
