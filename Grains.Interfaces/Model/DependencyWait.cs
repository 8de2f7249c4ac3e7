namespace JobQueue;

/// <summary>What a dependent job still waits on: each unmet dependency with its incomplete and buried jobs.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.DependencyWait")]
public sealed record DependencyWait
{
    /// <summary>How many dependencies the job has.</summary>
    [Id(0)] public int Total { get; init; }

    /// <summary>The unmet ones: "group NAME" or "job KEY", with how many of their jobs are incomplete and buried.</summary>
    [Id(1)] public IReadOnlyList<(string Name, long Incomplete, long Buried)> Unmet { get; init; } = [];

    /// <summary>Why a job that had completed waits again ("" if it did not complete before).</summary>
    [Id(2)] public string Note { get; init; } = "";
}
