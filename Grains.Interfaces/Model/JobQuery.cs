namespace JobQueue;

/// <summary>Which jobs a listing query returns and how much of each.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobQuery")]
public sealed record JobQuery
{
    /// <summary>Only jobs of this rep group; null for all incomplete jobs.</summary>
    [Id(0)] public string? RepGroup { get; init; }

    /// <summary>If above zero, at most this many jobs per (state, exit code, fail reason) group.</summary>
    [Id(1)] public int Limit { get; init; }

    /// <summary>Only jobs in this state.</summary>
    [Id(2)] public JobState? State { get; init; }

    /// <summary>Include stdout and stderr.</summary>
    [Id(3)] public bool GetStd { get; init; }

    /// <summary>Include the environment.</summary>
    [Id(4)] public bool GetEnv { get; init; }
}
