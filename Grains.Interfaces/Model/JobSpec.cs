namespace JobQueue;

/// <summary>A command to add to the queue, with its requirements and reporting groups.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobSpec")]
public sealed record JobSpec
{
    /// <summary>The shell command line to run.</summary>
    [Id(0)] public required string Cmd { get; init; }

    /// <summary>The absolute directory to run the command in.</summary>
    [Id(1)] public required string Cwd { get; init; }

    /// <summary>A name grouping related jobs for reporting. Default: "manually_added".</summary>
    [Id(2)] public string RepGroup { get; init; } = JobQueueDefaults.RepGroup;

    /// <summary>A name grouping jobs with similar memory and time needs, for learning. Default: the command's first word.</summary>
    [Id(3)] public string? ReqGroup { get; init; }

    /// <summary>Expected peak memory in MB; 0 means learned, else 1000.</summary>
    [Id(4)] public int RamMb { get; init; }

    /// <summary>Expected run time; zero means learned, else 1 hour.</summary>
    [Id(5)] public TimeSpan Time { get; init; }

    /// <summary>Cores the command uses; 0 means 1.</summary>
    [Id(6)] public int Cores { get; init; }

    /// <summary>0: learning replaces RamMb/Time; 1: the larger of the two wins; 2: RamMb/Time always win.</summary>
    [Id(7)] public int Override { get; init; }

    /// <summary>0-255; higher runs first.</summary>
    [Id(8)] public int Priority { get; init; }

    /// <summary>0-255; how many times a failed run is retried before the job is buried. Default: 3.</summary>
    [Id(9)] public int Retries { get; init; } = JobQueueDefaults.Retries;

    /// <summary>The environment ("KEY=value") to run under; null captures the adding client's environment.</summary>
    [Id(10)] public IReadOnlyList<string>? Env { get; init; }

    /// <summary>The limit groups the job is in ("irods", or "irods:10" to set that group's limit while adding); null or empty: none.</summary>
    [Id(11)] public IReadOnlyList<string>? LimitGroups { get; init; }

    /// <summary>The dependency groups the job belongs to: jobs that wait on one of them wait for this job too.</summary>
    [Id(12)] public IReadOnlyList<string>? DepGroups { get; init; }

    /// <summary>Dependency groups whose every member must be complete before this job is ready.</summary>
    [Id(13)] public IReadOnlyList<string>? Deps { get; init; }

    /// <summary>Jobs (by command and directory) that must be complete before this job is ready.</summary>
    [Id(14)] public IReadOnlyList<JobRef>? CmdDeps { get; init; }

    /// <summary>True if the job waits on anything.</summary>
    public bool HasDependencies => Deps is { Count: > 0 } || CmdDeps is { Count: > 0 };

    /// <summary>The key of this job: a hash of its cwd and cmd.</summary>
    public string Key => JobKey.For(Cwd, Cmd);
}
