namespace JobQueue;

/// <summary>A batch of jobs to add; environments travel once per batch, keyed by content.</summary>
/// <param name="Jobs">The jobs.</param>
/// <param name="EnvKeys">Each job's environment key.</param>
/// <param name="Envs">The environments, by key.</param>
/// <param name="FirstIndex">The index of the first job in the whole add, for error messages.</param>
/// <param name="SkipCompleted">Jobs that already completed count as existed instead of running again.</param>
[GenerateSerializer, Immutable, Alias("JobQueue.AddBatch")]
public sealed record AddBatch(
    [property: Id(0)] IReadOnlyList<JobSpec> Jobs,
    [property: Id(1)] IReadOnlyList<string> EnvKeys,
    [property: Id(2)] IReadOnlyDictionary<string, byte[]> Envs,
    [property: Id(3)] int FirstIndex,
    [property: Id(4)] bool SkipCompleted = false);

/// <summary>The outcome of an add: how many jobs were new and how many already existed incomplete.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.AddResult")]
public sealed record AddResult([property: Id(0)] int Added, [property: Id(1)] int Existed)
{
    /// <summary>Sums two outcomes.</summary>
    public static AddResult operator +(AddResult a, AddResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new AddResult(a.Added + b.Added, a.Existed + b.Existed);
    }

    /// <summary>Sums two outcomes.</summary>
    public static AddResult Add(AddResult a, AddResult b) => a + b;
}

/// <summary>A ready job's place in its queue: higher priority first, then lower sequence (older) first.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.ReadyEntry")]
public sealed record ReadyEntry(
    [property: Id(0)] string Key,
    [property: Id(1)] int Priority,
    [property: Id(2)] long Seq) : IComparable<ReadyEntry>
{
    /// <inheritdoc />
    public int CompareTo(ReadyEntry? other)
    {
        if (other is null)
        {
            return -1;
        }

        var byPriority = other.Priority.CompareTo(Priority);
        return byPriority != 0 ? byPriority : Seq.CompareTo(other.Seq);
    }

    /// <summary>True if <paramref name="a"/> comes before <paramref name="b"/>.</summary>
    public static bool operator <(ReadyEntry a, ReadyEntry b) => a is not null && a.CompareTo(b) < 0;

    /// <summary>True if <paramref name="a"/> comes after <paramref name="b"/>.</summary>
    public static bool operator >(ReadyEntry a, ReadyEntry b) => a is not null && a.CompareTo(b) > 0;

    /// <summary>True if <paramref name="a"/> does not come after <paramref name="b"/>.</summary>
    public static bool operator <=(ReadyEntry a, ReadyEntry b) => !(a > b);

    /// <summary>True if <paramref name="a"/> does not come before <paramref name="b"/>.</summary>
    public static bool operator >=(ReadyEntry a, ReadyEntry b) => !(a < b);
}

/// <summary>What a runner reports when the command ends.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobEndReport")]
public sealed record JobEndReport(
    [property: Id(0)] int ExitCode,
    [property: Id(1)] int PeakRamMb,
    [property: Id(2)] TimeSpan CpuTime,
    [property: Id(3)] byte[]? StdOut,
    [property: Id(4)] byte[]? StdErr);

/// <summary>The state of a lease after a touch.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.LeaseStatus")]
public sealed record LeaseStatus(
    [property: Id(0)] DateTimeOffset ExpiresAt,
    [property: Id(1)] bool KillRequested);

/// <summary>Which job to act on: by command and working directory, or by key.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobRef")]
public sealed record JobRef([property: Id(0)] string Key)
{
    /// <summary>The job that runs <paramref name="cmd"/> in <paramref name="cwd"/>.</summary>
    public static JobRef For(string cmd, string cwd) => new(JobKey.For(cwd, cmd));
}

/// <summary>Basic facts about the manager.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.ServerInfo")]
public sealed record ServerInfo
{
    /// <summary>The address clients connect to (host:port of the gateway).</summary>
    [Id(0)] public string Addr { get; init; } = "";

    /// <summary>The manager's host name.</summary>
    [Id(1)] public string Host { get; init; } = "";

    /// <summary>The gateway port clients connect to.</summary>
    [Id(2)] public int Port { get; init; }

    /// <summary>The port of the web interface, or 0.</summary>
    [Id(3)] public int WebPort { get; init; }

    /// <summary>The manager's process id.</summary>
    [Id(4)] public int Pid { get; init; }

    /// <summary>"production" or "development".</summary>
    [Id(5)] public string Deployment { get; init; } = "";

    /// <summary>The scheduler runners are submitted to ("local" or "none").</summary>
    [Id(6)] public string Scheduler { get; init; } = "";

    /// <summary>"started", or "draining" once a drain was asked for.</summary>
    [Id(7)] public string Mode { get; init; } = ServerModes.Started;

    /// <summary>When the manager started.</summary>
    [Id(8)] public DateTimeOffset StartedAt { get; init; }

    /// <summary>The storage provider ("sqlite" or "postgres").</summary>
    [Id(9)] public string Storage { get; init; } = "";

    /// <summary>The name of the queue the manager serves (runners are told it with --queue).</summary>
    [Id(10)] public string Queue { get; init; } = JobQueueDefaults.QueueName;
}

/// <summary>The manager's modes, as in the model.</summary>
public static class ServerModes
{
    /// <summary>Running normally.</summary>
    public const string Started = "started";

    /// <summary>No new reservations; waiting for running jobs to finish.</summary>
    public const string Draining = "draining";
}

/// <summary>Live counts of the queue's jobs.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.ServerStats")]
public sealed record ServerStats
{
    /// <summary>Facts about the manager.</summary>
    [Id(0)] public required ServerInfo ServerInfo { get; init; }

    /// <summary>Jobs waiting out a delay.</summary>
    [Id(1)] public long Delayed { get; init; }

    /// <summary>Jobs ready to run.</summary>
    [Id(2)] public long Ready { get; init; }

    /// <summary>Jobs reserved or running.</summary>
    [Id(3)] public long Running { get; init; }

    /// <summary>Jobs buried.</summary>
    [Id(4)] public long Buried { get; init; }

    /// <summary>Runs completed and archived.</summary>
    [Id(5)] public long Complete { get; init; }

    /// <summary>How long until the slowest running job is expected to finish.</summary>
    [Id(6)] public TimeSpan Etc { get; init; }

    /// <summary>Runners the manager's scheduler has alive (running or waiting for jobs).</summary>
    [Id(7)] public int Runners { get; init; }
}

/// <summary>What a drain leaves running.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.DrainResult")]
public sealed record DrainResult([property: Id(0)] long Running, [property: Id(1)] TimeSpan Etc);

/// <summary>Counts of a rep group's jobs by state.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.RepGroupCounts")]
public sealed record RepGroupCounts
{
    /// <summary>The rep group.</summary>
    [Id(0)] public required string RepGroup { get; init; }

    /// <summary>Jobs waiting out a delay.</summary>
    [Id(1)] public long Delayed { get; init; }

    /// <summary>Jobs ready to run.</summary>
    [Id(2)] public long Ready { get; init; }

    /// <summary>Jobs reserved by a runner but not started.</summary>
    [Id(3)] public long Reserved { get; init; }

    /// <summary>Jobs running.</summary>
    [Id(4)] public long Running { get; init; }

    /// <summary>Jobs buried.</summary>
    [Id(5)] public long Buried { get; init; }

    /// <summary>Runs completed.</summary>
    [Id(6)] public long Complete { get; init; }

    /// <summary>All jobs not complete.</summary>
    public long Incomplete => Delayed + Ready + Reserved + Running + Buried;

    /// <summary>The count for one state.</summary>
    public long this[JobState state] => state switch
    {
        JobState.Delayed => Delayed,
        JobState.Ready => Ready,
        JobState.Reserved => Reserved,
        JobState.Running => Running,
        JobState.Buried => Buried,
        JobState.Complete => Complete,
        _ => 0,
    };
}

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
