namespace JobQueue.Client.Cli;

/// <summary>A job as status --json prints it: one object per line, camelCase, times in seconds.</summary>
public sealed record JobJson
{
    public required string Key { get; init; }

    public required string Cmd { get; init; }

    public required string Cwd { get; init; }

    public required string RepGroup { get; init; }

    public required string ReqGroup { get; init; }

    public required string State { get; init; }

    public int Priority { get; init; }

    public int Attempts { get; init; }

    public int UntilBuried { get; init; }

    public bool Exited { get; init; }

    public int ExitCode { get; init; }

    public string FailReason { get; init; } = "";

    public int RamMb { get; init; }

    public double TimeSeconds { get; init; }

    public int Cores { get; init; }

    public int PeakRamMb { get; init; }

    public double WalltimeSeconds { get; init; }

    public double CpuTimeSeconds { get; init; }

    public string Host { get; init; } = "";

    public int Pid { get; init; }

    public required string Queue { get; init; }

    public int Similar { get; init; }

    public string? Stdout { get; init; }

    public string? Stderr { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

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
            PeakRamMb = job.PeakRamMb,
            WalltimeSeconds = Math.Round(job.Walltime.TotalSeconds, 3),
            CpuTimeSeconds = Math.Round(job.CpuTime.TotalSeconds, 3),
            Host = job.Host,
            Pid = job.Pid,
            Queue = job.Queue,
            Similar = job.Similar,
            Stdout = withStd ? job.StdOut ?? "" : null,
            Stderr = withStd ? job.StdErr ?? "" : null,
            Env = withEnv ? job.Env ?? [] : null,
        };
    }
}
