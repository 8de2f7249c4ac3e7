namespace JobQueue;

/// <summary>
/// Which jobs a listing or a bulk action covers: a rep group's (complete runs included) or every incomplete job,
/// narrowed by state, exit code and fail reason; or the jobs with the given keys.
/// </summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobFilter")]
public sealed record JobFilter
{
    /// <summary>Only jobs of this rep group; null for all incomplete jobs.</summary>
    [Id(0)] public string? RepGroup { get; init; }

    /// <summary>Only jobs in this state.</summary>
    [Id(1)] public JobState? State { get; init; }

    /// <summary>Only jobs with this exit code (-1: never exited).</summary>
    [Id(2)] public int? ExitCode { get; init; }

    /// <summary>Only jobs with this fail reason ("" for none).</summary>
    [Id(3)] public string? FailReason { get; init; }

    /// <summary>Only these jobs (by key); the other filters still apply.</summary>
    [Id(4)] public IReadOnlyList<string>? Keys { get; init; }
}
