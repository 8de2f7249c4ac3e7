namespace JobQueue;

/// <summary>A job as the server knows it: the command, its requirements, and what happened when it ran.</summary>
/// <remarks>Jobs returned by the server are snapshots; changing them changes nothing on the server.</remarks>
[GenerateSerializer, Immutable, Alias("JobQueue.Job")]
public sealed record Job
{
    /// <summary>The job's key: a hash of <see cref="Cwd"/> and <see cref="Cmd"/>.</summary>
    [Id(0)] public required string Key { get; init; }

    /// <summary>The shell command line.</summary>
    [Id(1)] public required string Cmd { get; init; }

    /// <summary>The directory the command runs in.</summary>
    [Id(2)] public required string Cwd { get; init; }

    /// <summary>The reporting group.</summary>
    [Id(3)] public required string RepGroup { get; init; }

    /// <summary>The group whose past runs inform this job's requirements.</summary>
    [Id(4)] public required string ReqGroup { get; init; }

    /// <summary>Memory reserved for the command, in MB.</summary>
    [Id(5)] public int RamMb { get; init; }

    /// <summary>Time reserved for the command.</summary>
    [Id(6)] public TimeSpan Time { get; init; }

    /// <summary>Cores reserved for the command.</summary>
    [Id(7)] public int Cores { get; init; }

    /// <summary>How the user's RamMb and Time relate to learned values (0, 1 or 2).</summary>
    [Id(8)] public int Override { get; init; }

    /// <summary>0-255; higher runs first.</summary>
    [Id(9)] public int Priority { get; init; }

    /// <summary>How many failed runs are retried before the job is buried.</summary>
    [Id(10)] public int Retries { get; init; }

    /// <summary>The peak memory of the last run, in MB.</summary>
    [Id(11)] public int PeakRamMb { get; init; }

    /// <summary>True once the command ran and exited.</summary>
    [Id(12)] public bool Exited { get; init; }

    /// <summary>The exit code of the last run; meaningful only when <see cref="Exited"/>.</summary>
    [Id(13)] public int ExitCode { get; init; }

    /// <summary>Why the last run failed (one of <see cref="FailReasons"/>), or empty.</summary>
    [Id(14)] public string FailReason { get; init; } = "";

    /// <summary>The process id of the running or last run.</summary>
    [Id(15)] public int Pid { get; init; }

    /// <summary>The host of the running or last run.</summary>
    [Id(16)] public string Host { get; init; } = "";

    /// <summary>Wall time of the last run, or so far for a running job.</summary>
    [Id(17)] public TimeSpan Walltime { get; init; }

    /// <summary>CPU time (user + system) of the last run.</summary>
    [Id(18)] public TimeSpan CpuTime { get; init; }

    /// <summary>Head and tail of the last run's standard output, when asked for.</summary>
    [Id(19)] public string? StdOut { get; init; }

    /// <summary>Head and tail of the last run's standard error, when asked for.</summary>
    [Id(20)] public string? StdErr { get; init; }

    /// <summary>The environment ("KEY=value") the command runs under, when asked for or reserved.</summary>
    [Id(21)] public IReadOnlyList<string>? Env { get; init; }

    /// <summary>Where the job is in its lifecycle.</summary>
    [Id(22)] public JobState State { get; init; }

    /// <summary>How many times the command was started.</summary>
    [Id(23)] public int Attempts { get; init; }

    /// <summary>How many more failed runs are allowed before the job is buried.</summary>
    [Id(24)] public int UntilBuried { get; init; }

    /// <summary>Who holds the lease on a reserved or running job: the reserving client's id. Null otherwise.</summary>
    [Id(25)] public string? ReservedBy { get; init; }

    /// <summary>When jobs were fetched with a limit: how many similar jobs were left out after this one.</summary>
    [Id(26)] public int Similar { get; init; }

    /// <summary>The scheduler group (queue) the job belongs to: "ramMb:minutes:cores".</summary>
    [Id(27)] public required string Queue { get; init; }

    /// <summary>When the job was added.</summary>
    [Id(28)] public DateTimeOffset AddedAt { get; init; }

    /// <summary>When the last run started.</summary>
    [Id(29)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last run ended.</summary>
    [Id(30)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>For a delayed job, when it becomes ready; for a leased job, when the lease expires.</summary>
    [Id(31)] public DateTimeOffset? DueAt { get; init; }

    /// <summary>True when a user asked for the running command to be killed.</summary>
    [Id(32)] public bool KillRequested { get; init; }

    /// <summary>
    /// The secret half of the lease, known only to the client that reserved the job (queries never carry it): with
    /// that client's id it proves the right to report on the job. Null except on a job returned by a reserve.
    /// </summary>
    [Id(33)] public string? LeaseToken { get; init; }

    /// <summary>How long the lease lasts from each touch or report; the holder must stop reporting, and kill its command, before it runs out.</summary>
    [Id(34)] public TimeSpan Lease { get; init; }

    /// <summary>True when the job's stored environment could not be read: it must not run under another environment.</summary>
    [Id(35)] public bool EnvUnavailable { get; init; }

    /// <summary>The limit groups the job is in (names only); empty when none.</summary>
    [Id(36)] public IReadOnlyList<string> LimitGroups { get; init; } = [];
}
