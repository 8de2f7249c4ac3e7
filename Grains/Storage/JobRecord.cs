namespace JobQueue.Grains.Storage;

/// <summary>One job as stored: the row of the jobs table (or, once complete, of the history table).</summary>
public sealed record JobRecord
{
    /// <summary>The add sequence number: FIFO order within a priority.</summary>
    public long Seq { get; init; }

    /// <summary>The job key.</summary>
    public required string Key { get; init; }

    /// <summary>Optimistic concurrency version; every update increments it.</summary>
    public long Version { get; init; }

    public required string Cmd { get; init; }

    public required string Cwd { get; init; }

    public required string RepGroup { get; init; }

    public required string ReqGroup { get; init; }

    /// <summary>Memory reserved now (after learning and failures).</summary>
    public int RamMb { get; init; }

    /// <summary>Time reserved now (after learning and failures).</summary>
    public TimeSpan Time { get; init; }

    public int Cores { get; init; }

    /// <summary>Memory the user asked for; 0 if they did not.</summary>
    public int UserRamMb { get; init; }

    /// <summary>Time the user asked for; zero if they did not.</summary>
    public TimeSpan UserTime { get; init; }

    public int Override { get; init; }

    public int Priority { get; init; }

    public int Retries { get; init; }

    public required string EnvKey { get; init; }

    /// <summary>The scheduler group the job is queued in.</summary>
    public required string Queue { get; init; }

    public JobState State { get; init; }

    public int Attempts { get; init; }

    public int UntilBuried { get; init; }

    public bool Exited { get; init; }

    public int ExitCode { get; init; }

    public string FailReason { get; init; } = "";

    public int PeakRamMb { get; init; }

    public int Pid { get; init; }

    public string Host { get; init; } = "";

    public TimeSpan Walltime { get; init; }

    public TimeSpan CpuTime { get; init; }

    /// <summary>Compressed head and tail of stdout.</summary>
    public byte[]? StdOut { get; init; }

    /// <summary>Compressed head and tail of stderr.</summary>
    public byte[]? StdErr { get; init; }

    /// <summary>The lease token of a reserved or running job.</summary>
    public string? ReservedBy { get; init; }

    public bool KillRequested { get; init; }

    /// <summary>When a delayed job becomes ready, or a lease expires.</summary>
    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset AddedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The grouping key of the counters table for this record.</summary>
    public CountKey CountKey => new(RepGroup, State, Exited ? ExitCode : CountKey.NotExited, FailReason);

    /// <summary>This job's place in its ready queue.</summary>
    public ReadyEntry ReadyEntry => new(Key, Priority, Seq);
}

/// <summary>The grouping the counters table keeps: rep group, state, exit code and fail reason.</summary>
public readonly record struct CountKey(string RepGroup, JobState State, int ExitCode, string FailReason)
{
    /// <summary>The exit code recorded for jobs that never exited.</summary>
    public const int NotExited = -1;
}

/// <summary>One row of the counters table.</summary>
public sealed record CountRow(CountKey Key, long Count);

/// <summary>A running (or reserved) job's timing, for the estimated time to completion.</summary>
public sealed record RunningJob(string Key, string Queue, DateTimeOffset? StartedAt, TimeSpan Time);

/// <summary>A learned-resources histogram bucket: how many runs fell in (bucket-1, bucket] units.</summary>
public sealed record HistogramBucket(int Bucket, long Count);

/// <summary>Past runs of a req group: memory buckets of 100 MB and time buckets of 30 minutes.</summary>
public sealed record ReqGroupHistory(IReadOnlyList<HistogramBucket> Ram, IReadOnlyList<HistogramBucket> Time)
{
    /// <summary>No runs yet.</summary>
    public static readonly ReqGroupHistory Empty = new([], []);
}
