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

    /// <summary>The command.</summary>
    public required string Cmd { get; init; }

    /// <summary>The directory it runs in.</summary>
    public required string Cwd { get; init; }

    /// <summary>The reporting group.</summary>
    public required string RepGroup { get; init; }

    /// <summary>The requirements group.</summary>
    public required string ReqGroup { get; init; }

    /// <summary>Memory reserved now (after learning and failures).</summary>
    public int RamMb { get; init; }

    /// <summary>Time reserved now (after learning and failures).</summary>
    public TimeSpan Time { get; init; }

    /// <summary>Cores reserved.</summary>
    public int Cores { get; init; }

    /// <summary>Memory the user asked for; 0 if they did not.</summary>
    public int UserRamMb { get; init; }

    /// <summary>Time the user asked for; zero if they did not.</summary>
    public TimeSpan UserTime { get; init; }

    /// <summary>How the user's memory and time relate to learned values (0, 1 or 2).</summary>
    public int Override { get; init; }

    /// <summary>0-255; higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>Retries of a failed run before burial.</summary>
    public int Retries { get; init; }

    /// <summary>The key of the stored environment.</summary>
    public required string EnvKey { get; init; }

    /// <summary>The scheduler group the job is queued in.</summary>
    public required string Queue { get; init; }

    /// <summary>Where the job is in its lifecycle.</summary>
    public JobState State { get; init; }

    /// <summary>Times the command was started.</summary>
    public int Attempts { get; init; }

    /// <summary>Failed runs left before burial.</summary>
    public int UntilBuried { get; init; }

    /// <summary>True once the last run exited.</summary>
    public bool Exited { get; init; }

    /// <summary>The last run's exit code.</summary>
    public int ExitCode { get; init; }

    /// <summary>Why the last run failed, or empty.</summary>
    public string FailReason { get; init; } = "";

    /// <summary>Peak memory of the last run, in MB.</summary>
    public int PeakRamMb { get; init; }

    /// <summary>The process id of the last run.</summary>
    public int Pid { get; init; }

    /// <summary>The host of the last run.</summary>
    public string Host { get; init; } = "";

    /// <summary>Wall time of the last run.</summary>
    public TimeSpan Walltime { get; init; }

    /// <summary>CPU time of the last run.</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>Compressed head and tail of stdout.</summary>
    public byte[]? StdOut { get; init; }

    /// <summary>Compressed head and tail of stderr.</summary>
    public byte[]? StdErr { get; init; }

    /// <summary>The lease token of a reserved or running job.</summary>
    public string? ReservedBy { get; init; }

    /// <summary>True when a user asked for the running command to be killed.</summary>
    public bool KillRequested { get; init; }

    /// <summary>When a delayed job becomes ready, or a lease expires.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When the job was added.</summary>
    public DateTimeOffset AddedAt { get; init; }

    /// <summary>When the last run started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last run ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The grouping key of the counters table for this record.</summary>
    public CountKey CountKey => new(RepGroup, State, Exited ? ExitCode : CountKey.NotExited, FailReason);

    /// <summary>This job's place in its ready queue.</summary>
    public ReadyEntry ReadyEntry => new(Key, Priority, Seq);

    /// <summary>This record without what its last run left: exit, fail reason, peak memory, times and output.</summary>
    public JobRecord WithoutRunResults() => this with
    {
        Exited = false,
        ExitCode = 0,
        FailReason = "",
        PeakRamMb = 0,
        Walltime = TimeSpan.Zero,
        CpuTime = TimeSpan.Zero,
        StdOut = null,
        StdErr = null,
    };

    /// <summary>
    /// True for a job started when it was reserved whose command is not known to have run: running, with no pid
    /// reported and no end recorded. Giving it back treats it as only reserved (<see cref="AsReserved"/>).
    /// </summary>
    public bool AwaitingPid => JobStates.AwaitingPid(State, Pid, Exited);

    /// <summary>This record running from <paramref name="now"/> as process <paramref name="pid"/> (0: not yet known) on <paramref name="host"/>, leased until <paramref name="dueAt"/>.</summary>
    public JobRecord StartedOn(string host, int pid, DateTimeOffset now, DateTimeOffset dueAt) => WithoutRunResults() with
    {
        State = JobState.Running,
        Pid = pid,
        Host = host,
        StartedAt = now,
        EndedAt = null,
        Attempts = Attempts + 1,
        DueAt = dueAt,
    };

    /// <summary>A job <see cref="AwaitingPid"/> as it would be had it only been reserved: its start is undone.</summary>
    public JobRecord AsReserved() => this with { State = JobState.Reserved, Attempts = Attempts - 1, Host = "", StartedAt = null };
}
