namespace JobQueue;

/// <summary>A job as status --json prints it and the REST API returns it: camelCase, times in seconds.</summary>
public sealed record JobJson
{
    /// <summary>The job key.</summary>
    public required string Key { get; init; }

    /// <summary>The command.</summary>
    public required string Cmd { get; init; }

    /// <summary>The directory it runs in.</summary>
    public required string Cwd { get; init; }

    /// <summary>The reporting group.</summary>
    public required string RepGroup { get; init; }

    /// <summary>The requirements group.</summary>
    public required string ReqGroup { get; init; }

    /// <summary>The state's name (delayed, ready, reserved, running, buried, complete).</summary>
    public required string State { get; init; }

    /// <summary>0-255; higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>Times the command was started.</summary>
    public int Attempts { get; init; }

    /// <summary>Failed runs left before the job is buried.</summary>
    public int UntilBuried { get; init; }

    /// <summary>True once the command ran and exited.</summary>
    public bool Exited { get; init; }

    /// <summary>The exit code of the last run.</summary>
    public int ExitCode { get; init; }

    /// <summary>Why the last run failed, or empty.</summary>
    public string FailReason { get; init; } = "";

    /// <summary>Memory reserved, in MB.</summary>
    public int RamMb { get; init; }

    /// <summary>Time reserved, in seconds.</summary>
    public double TimeSeconds { get; init; }

    /// <summary>Cores reserved.</summary>
    public int Cores { get; init; }

    /// <summary>Retries a failed run gets before the job is buried.</summary>
    public int Retries { get; init; }

    /// <summary>When the last (or current) run started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last run ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When the job was added.</summary>
    public DateTimeOffset AddedAt { get; init; }

    /// <summary>The client id holding the lease of a reserved or running job.</summary>
    public string? ReservedBy { get; init; }

    /// <summary>Peak memory of the last run, in MB.</summary>
    public int PeakRamMb { get; init; }

    /// <summary>Wall time of the last (or current) run, in seconds.</summary>
    public double WalltimeSeconds { get; init; }

    /// <summary>CPU time of the last run, in seconds.</summary>
    public double CpuTimeSeconds { get; init; }

    /// <summary>The host of the last run.</summary>
    public string Host { get; init; } = "";

    /// <summary>The process id of the last run.</summary>
    public int Pid { get; init; }

    /// <summary>The scheduler group.</summary>
    public required string Queue { get; init; }

    /// <summary>The limit groups the job is in.</summary>
    public IReadOnlyList<string> LimitGroups { get; init; } = [];

    /// <summary>With a limit: similar jobs left out after this one.</summary>
    public int Similar { get; init; }

    /// <summary>Head and tail of stdout, when asked for.</summary>
    public string? Stdout { get; init; }

    /// <summary>Head and tail of stderr, when asked for.</summary>
    public string? Stderr { get; init; }

    /// <summary>The environment, when asked for.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>For an incomplete job: one line for each reason it is not running (or where it is), as "jobqueue why" says them.</summary>
    public IReadOnlyList<string>? Why { get; init; }

    /// <summary>For a ready job: why its scheduler group's runners have not started, as the scheduler says (Slurm's pending reason).</summary>
    public string? SchedulerNote { get; init; }

    /// <summary>The JSON view of a job; output and environment only when asked for.</summary>
    public static JobJson From(Job job, bool withStd, bool withEnv)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobJson
        {
            Key = job.Key,
            Cmd = job.Cmd,
            Cwd = job.Cwd,
            RepGroup = job.RepGroup,
            ReqGroup = job.ReqGroup,
            State = job.State.ToName(),
            Priority = job.Priority,
            Attempts = job.Attempts,
            UntilBuried = job.UntilBuried,
            Exited = job.Exited,
            ExitCode = job.ExitCode,
            FailReason = job.FailReason,
            RamMb = job.RamMb,
            TimeSeconds = job.Time.TotalSeconds,
            Cores = job.Cores,
            Retries = job.Retries,
            StartedAt = job.StartedAt,
            EndedAt = job.EndedAt,
            AddedAt = job.AddedAt,
            ReservedBy = job.ReservedBy,
            PeakRamMb = job.PeakRamMb,
            WalltimeSeconds = Math.Round(job.Walltime.TotalSeconds, 3),
            CpuTimeSeconds = Math.Round(job.CpuTime.TotalSeconds, 3),
            Host = job.Host,
            Pid = job.Pid,
            Queue = job.Queue,
            LimitGroups = job.LimitGroups,
            Similar = job.Similar,
            Stdout = withStd ? job.StdOut ?? "" : null,
            Stderr = withStd ? job.StdErr ?? "" : null,
            Env = withEnv ? job.Env ?? [] : null,
        };
    }
}
