using System.ComponentModel;

namespace JobQueue.Client.Execution;

/// <summary>
/// Runs a reserved job's command under a shell and reports it: started, touched while it runs, measured (peak PSS
/// of the whole process tree, CPU time, wall time), killed if it outgrows its memory or time, a user asks, or its
/// lease runs out, and finally archived, released or buried with the model's fail reasons. Reports survive a
/// manager that restarts or a database that is briefly away: they are retried for as long as the lease lasts.
/// </summary>
internal sealed class JobExecutor(JobQueueClient client, TimeProvider time)
{
    /// <summary>The internal kill reason of a run whose lease is gone.</summary>
    public const string LeaseLost = "lease lost";

    private const int SigPipeExit = 128 + 13;
    private const int HighestSignal = 64;
    private static readonly TimeSpan[] FirstSamples = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)];
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    /// <summary>How long a command of a job started when it was reserved runs before its pid is reported on its own; a shorter run's pid goes with its end.</summary>
    private static readonly TimeSpan PidReportDelay = TimeSpan.FromSeconds(1);

    public async Task<ExecutionResult> ExecuteAsync(Job job, string shell, ExecuteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shell);
        if (job.LeaseToken is null || job.ReservedBy != client.ClientId)
        {
            throw new JobQueueException(JobQueueErrorKind.MustReserve, "Execute", job.Key, "this job was not reserved by this client");
        }

        if (job.State != JobState.Reserved && !StartedWhenReserved(job))
        {
            throw new JobQueueException(JobQueueErrorKind.BadJob, "Execute", job.Key, $"the job is {job.State.ToName()}: only a reserved job (or one reserved and started, its pid not yet known) can be executed");
        }

        var lease = new LeaseKeeper(client, job, time, options.TouchInterval);
        if (job.EnvUnavailable)
        {
            // Running it under this runner's own environment would run a different command than the one added.
            return await NotRunAsync(job, lease, FailReasons.Env).ConfigureAwait(false);
        }

        if (!Directory.Exists(job.Cwd))
        {
            return await NotRunAsync(job, lease, FailReasons.Cwd).ConfigureAwait(false);
        }

        if (lease.Expired)
        {
            // The runner stalled (frozen, swapped out) since it reserved the job, which may now run elsewhere.
            throw lease.LostBeforeStart("Execute");
        }

        ShellProcess process;
        OrphanGuard.EnsureStarted();
        try
        {
            process = ShellCommand.Start(job, shell);
        }
        catch (Win32Exception)
        {
            var state = await lease.ReportAsync("Release", ct => client.ReleaseAsync(job, FailReasons.Start, null, ct), renews: false).ConfigureAwait(false);
            return new ExecutionResult(false, -1, FailReasons.Start, state, 0, TimeSpan.Zero, TimeSpan.Zero);
        }

        var pid = process.Id;
        OrphanGuard.Watch(pid);
        try
        {
            using (process)
            {
                return await WatchAsync(job, process, lease, ShellCommand.UsesPipefail(job, shell), options, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever the command left behind in its session (a "(sleep 300 &)") dies with it, as Slurm does.
            ProcessGroups.Kill(pid, includeLeader: false);
            OrphanGuard.Forget(pid);
        }
    }

    private static string? Classify(string? killReason, int exitCode) => killReason ?? exitCode switch
    {
        0 => null,
        126 => FailReasons.CommandPermission,
        127 => FailReasons.CommandNotFound,
        128 => FailReasons.CommandInvalidExit,

        // The shell reports a command killed by signal n as 128+n: it did not complete normally.
        > 128 and <= 128 + HighestSignal => FailReasons.Abnormal,
        _ => FailReasons.Exit,
    };

    private static async Task PumpAsync(Stream stream, HeadTailBuffer buffer)
    {
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            buffer.Append(chunk.AsSpan(0, read));
        }
    }

    private static bool StartedWhenReserved(Job job) => JobStates.AwaitingPid(job.State, job.Pid, job.Exited);

    /// <summary>
    /// For a job started when it was reserved: its pid is reported if the command still runs after
    /// <see cref="PidReportDelay"/>; a command that ends sooner reports it with its end, one commit fewer.
    /// </summary>
    private async Task ReportPidAsync(Job job, ShellProcess process, LeaseKeeper lease, string host)
    {
        using (var ended = new CancellationTokenSource())
        {
            var delay = Task.Delay(PidReportDelay, time, ended.Token);
            await Task.WhenAny(process.Exited, delay).ConfigureAwait(false);
            await ended.CancelAsync().ConfigureAwait(false);
        }

        if (!process.Exited.IsCompleted)
        {
            await StartedAsync(job, process, lease, host).ConfigureAwait(false);
        }
    }

    private async Task StartedAsync(Job job, ShellProcess process, LeaseKeeper lease, string host)
    {
        try
        {
            await lease.ReportAsync("Started", ct => Done(client.StartedAsync(job, process.Id, host, ct)), renews: true).ConfigureAwait(false);
        }
        catch
        {
            process.KillTree();
            throw;
        }
    }

    /// <summary>
    /// Samples the command's tree until it exits: its peak memory and CPU, and whether it must be killed (over its
    /// memory or time, a user asked, its lease is gone, or the runner is stopping), which it then is.
    /// </summary>
    private async Task<(string? KillReason, long PeakMb, TimeSpan Cpu)> SampleAsync(Job job, ShellProcess process, LeaseKeeper lease, ExecuteOptions options, long startedAt, CancellationToken cancellationToken)
    {
        // Often enough to notice a lease running out well before it does.
        var fraction = (job.Lease > TimeSpan.Zero ? job.Lease : JobQueueDefaults.TimeToRelease) / 20;
        var tick = fraction < options.SampleInterval ? fraction : options.SampleInterval;
        tick = tick < MinTick ? MinTick : tick;
        var peakMb = 0L;
        var sampledCpu = TimeSpan.Zero;
        for (var sample = 0; !process.Exited.IsCompleted; sample++)
        {
            var pause = sample < FirstSamples.Length && FirstSamples[sample] < tick ? FirstSamples[sample] : tick;
            await Task.WhenAny(process.Exited, Task.Delay(pause, time, cancellationToken)).ConfigureAwait(false);
            if (process.Exited.IsCompleted)
            {
                break;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                process.KillTree();
                return (FailReasons.Signal, peakMb, sampledCpu);
            }

            var tree = ProcessTree.Of(process.Id);
            peakMb = Math.Max(peakMb, ProcessTree.PssMb(tree));
            var cpu = ProcessTree.CpuTime(process.Id, tree);
            sampledCpu = cpu > sampledCpu ? cpu : sampledCpu;
            var elapsed = time.GetElapsedTime(startedAt);
            var killReason = options.EnforceMemory && peakMb > job.RamMb ? FailReasons.Ram
                : elapsed > job.Time + options.TimeMargin ? FailReasons.Time
                : lease.Poll();
            if (killReason is not null)
            {
                process.KillTree();
                return (killReason, peakMb, sampledCpu);
            }
        }

        return (null, peakMb, sampledCpu);
    }

    private async Task<ExecutionResult> NotRunAsync(Job job, LeaseKeeper lease, string failReason)
    {
        await lease.ReportAsync("Bury", ct => Done(client.BuryAsync(job, failReason, ct)), renews: false, () => Task.FromResult(true)).ConfigureAwait(false);
        return new ExecutionResult(false, -1, failReason, JobState.Buried, 0, TimeSpan.Zero, TimeSpan.Zero);
    }

    private async Task<ExecutionResult> WatchAsync(Job job, ShellProcess process, LeaseKeeper lease, bool pipefail, ExecuteOptions options, CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        var stdout = new HeadTailBuffer();
        var stderr = new HeadTailBuffer();
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, stdout), PumpAsync(process.StandardError, stderr));

        // The report that it started goes while it runs (a short command is often done before the answer comes);
        // if it fails, the command is killed at once, and nothing else is reported before it succeeded.
        var started = StartedWhenReserved(job) ? ReportPidAsync(job, process, lease, options.Host) : StartedAsync(job, process, lease, options.Host);
        var (killReason, peakMb, sampledCpu) = await SampleAsync(job, process, lease, options, startedAt, cancellationToken).ConfigureAwait(false);
        var exit = await process.Exited.ConfigureAwait(false);
        var walltime = time.GetElapsedTime(startedAt);
        await started.ConfigureAwait(false);

        // A background child may hold the output pipes open after the command exited; do not wait for it forever.
        await Task.WhenAny(pumps, Task.Delay(OutputDrainLimit, time, CancellationToken.None)).ConfigureAwait(false);
        var exitCode = exit.ExitCode;
        if (pipefail && killReason is null && exitCode == SigPipeExit)
        {
            // Under pipefail the status is the rightmost failure; a rightmost SIGPIPE means every command after it
            // succeeded and merely stopped reading early (as in "yes | head"): that pipe did its job.
            exitCode = 0;
        }

        // wait4 counts the shell and every descendant it waited for; sampling also saw any it left running.
        var cpuTime = exit.CpuTime > sampledCpu ? exit.CpuTime : sampledCpu;

        if (killReason == LeaseLost)
        {
            throw lease.Lost("Execute");
        }

        var peak = (int)Math.Min(int.MaxValue, peakMb);
        var (out1, err1) = (stdout.ToArray(), stderr.ToArray());
        var failReason = Classify(killReason, exitCode);
        if (failReason is null)
        {
            // A success ends and completes the job in one call and one commit. A retry that finds the lease gone most
            // likely follows a first try that took effect with its answer lost.
            var done = await lease.ReportAsync(
                "EndedAndArchive",
                async ct => { await client.EndedAndArchiveAsync(job, new JobEndReport(0, peak, cpuTime, out1, err1, process.Id), ct).ConfigureAwait(false); return JobState.Complete; },
                renews: false,
                () => CurrentStateAsync(job, JobState.Complete)).ConfigureAwait(false);
            return new ExecutionResult(true, exitCode, "", done, peak, cpuTime, walltime);
        }

        await lease.ReportAsync("Ended", ct => Done(client.EndedAsync(job, new JobEndReport(exitCode, peak, cpuTime, out1, err1, process.Id), ct)), renews: true).ConfigureAwait(false);
        var state = await FinishAsync(job, lease, failReason).ConfigureAwait(false);
        return new ExecutionResult(false, exitCode, failReason, state, peak, cpuTime, walltime);
    }

    private async Task<JobState> FinishAsync(Job job, LeaseKeeper lease, string failReason)
    {
        // A retry that finds the lease gone most likely follows a first try that took effect with its answer lost.
        Task<JobState> Current(JobState expected) => CurrentStateAsync(job, expected);
        if (failReason == FailReasons.Signal)
        {
            // The runner is stopping, not the command failing: no retry is spent and anyone may take it at once.
            return await lease.ReportAsync("Release", ct => client.ReleaseAsync(job, failReason, TimeSpan.Zero, ct), false, () => Current(JobState.Ready)).ConfigureAwait(false);
        }

        if (FailReasons.IsPermanent(failReason))
        {
            return await lease.ReportAsync("Bury", async ct => { await client.BuryAsync(job, failReason, ct).ConfigureAwait(false); return JobState.Buried; }, false, () => Current(JobState.Buried)).ConfigureAwait(false);
        }

        return await lease.ReportAsync("Release", ct => client.ReleaseAsync(job, failReason, null, ct), false, () => Current(JobState.Delayed)).ConfigureAwait(false);
    }

    private async Task<JobState> CurrentStateAsync(Job job, JobState expected)
    {
        try
        {
            return (await client.GetByCmdAsync(job.Cmd, job.Cwd).ConfigureAwait(false))?.State ?? expected;
        }
        catch (JobQueueException)
        {
            return expected;
        }
    }

    private static async Task<bool> Done(Task call)
    {
        await call.ConfigureAwait(false);
        return true;
    }
}
