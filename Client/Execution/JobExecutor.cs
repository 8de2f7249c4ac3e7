using System.ComponentModel;
using System.Diagnostics;

namespace JobQueue.Client.Execution;

/// <summary>
/// Runs a reserved job's command under a shell and reports it: started, touched while it runs, measured (peak PSS
/// of the whole process tree, CPU time, wall time), killed if it outgrows its memory or time or a user asks, and
/// finally archived, released or buried with the model's fail reasons.
/// </summary>
internal sealed class JobExecutor(JobQueueClient client, TimeProvider time)
{
    private const int SigPipeExit = 128 + 13;
    private const string SetSid = "/usr/bin/setsid";
    private const string LeaseLost = "lease lost";
    private static readonly TimeSpan[] FirstSamples = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)];
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);
    private static long s_started;
    private static int s_active;

    public async Task<ExecutionResult> ExecuteAsync(Job job, string shell, ExecuteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shell);
        if (job.ReservedBy is null)
        {
            throw new JobQueueException(JobQueueErrorKind.MustReserve, "Execute", job.Key, "this job was not reserved by this client");
        }

        if (!Directory.Exists(job.Cwd))
        {
            await client.BuryAsync(job, FailReasons.Cwd, CancellationToken.None).ConfigureAwait(false);
            return new ExecutionResult(false, -1, FailReasons.Cwd, JobState.Buried, 0, TimeSpan.Zero, TimeSpan.Zero);
        }

        Process process;
        try
        {
            process = Process.Start(StartInfo(job, shell))!;
        }
        catch (Win32Exception)
        {
            var state = await client.ReleaseAsync(job, FailReasons.Start, null, CancellationToken.None).ConfigureAwait(false);
            return new ExecutionResult(false, -1, FailReasons.Start, state, 0, TimeSpan.Zero, TimeSpan.Zero);
        }

        using (process)
        {
            return await WatchAsync(job, process, UsesPipefail(job, shell), options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool UsesPipefail(Job job, string shell) =>
        job.Cmd.Contains('|', StringComparison.Ordinal) && Path.GetFileName(shell) is "bash" or "zsh" or "ksh";

    // The .NET runtime ignores SIGPIPE and children inherit that, which a shell cannot undo: "yes | head" would
    // then end with "yes: Broken pipe". env restores the default disposition before the shell starts.
    private static readonly Lazy<bool> EnvRestoresSigPipe = new(() =>
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("/usr/bin/env", ["--default-signal=PIPE", "true"]) { UseShellExecute = false })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    });

    private static ProcessStartInfo StartInfo(Job job, string shell)
    {
        var start = new ProcessStartInfo(EnvRestoresSigPipe.Value ? "/usr/bin/env" : shell)
        {
            WorkingDirectory = job.Cwd,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (EnvRestoresSigPipe.Value)
        {
            start.ArgumentList.Add("--default-signal=PIPE");

            // Its own session: a Ctrl-C at the terminal reaches the runner (which releases the job), not the command.
            if (File.Exists(SetSid))
            {
                start.ArgumentList.Add(SetSid);
            }

            start.ArgumentList.Add(shell);
        }

        start.ArgumentList.Add("-c");

        // As in the model: with a pipe, a failure anywhere in it fails the command (bash, zsh and ksh know pipefail).
        start.ArgumentList.Add(UsesPipefail(job, shell) ? "set -o pipefail; " + job.Cmd : job.Cmd);
        if (job.Env is { Count: > 0 } env)
        {
            start.Environment.Clear();
            foreach (var entry in env)
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    start.Environment[entry[..eq]] = entry[(eq + 1)..];
                }
            }
        }

        return start;
    }

    private static async Task PumpAsync(Stream stream, HeadTailBuffer buffer)
    {
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            buffer.Append(chunk.AsSpan(0, read));
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }
    }

    private static string? Classify(string? killReason, int exitCode) => killReason ?? exitCode switch
    {
        0 => null,
        126 => FailReasons.CommandPermission,
        127 => FailReasons.CommandNotFound,
        128 => FailReasons.CommandInvalidExit,
        _ => FailReasons.Exit,
    };

    private async Task<ExecutionResult> WatchAsync(Job job, Process process, bool pipefail, ExecuteOptions options, CancellationToken cancellationToken)
    {
        var myStart = Interlocked.Increment(ref s_started);
        var alone = Interlocked.Increment(ref s_active) == 1;
        var reapedBefore = ProcessTree.ReapedChildrenCpuTime();
        var startedAt = time.GetTimestamp();
        var stdout = new HeadTailBuffer();
        var stderr = new HeadTailBuffer();
        Task pumps;
        string? killReason = null;
        var peakMb = 0L;
        var sampledCpu = TimeSpan.Zero;
        try
        {
            process.StandardInput.Close();
            pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, stdout), PumpAsync(process.StandardError.BaseStream, stderr));
            try
            {
                await client.StartedAsync(job, process.Id, options.Host, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                KillTree(process);
                throw;
            }

            var exited = process.WaitForExitAsync(CancellationToken.None);
            var nextTouch = startedAt;
            var sample = 0;
            while (!exited.IsCompleted)
            {
                var pause = sample < FirstSamples.Length ? FirstSamples[sample] : options.SampleInterval;
                sample++;
                await Task.WhenAny(exited, Task.Delay(pause, time, cancellationToken)).ConfigureAwait(false);
                if (exited.IsCompleted)
                {
                    break;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    killReason = FailReasons.Signal;
                    KillTree(process);
                    break;
                }

                var tree = ProcessTree.Of(process.Id);
                peakMb = Math.Max(peakMb, ProcessTree.PssMb(tree));
                var cpu = ProcessTree.CpuTime(process.Id, tree);
                sampledCpu = cpu > sampledCpu ? cpu : sampledCpu;
                var elapsed = time.GetElapsedTime(startedAt);
                killReason = options.EnforceMemory && peakMb > job.RamMb ? FailReasons.Ram
                    : elapsed > job.Time + options.TimeMargin ? FailReasons.Time
                    : null;

                if (killReason is null && time.GetElapsedTime(nextTouch) >= options.TouchInterval)
                {
                    nextTouch = time.GetTimestamp();
                    killReason = await TouchAsync(job).ConfigureAwait(false);
                }

                if (killReason is not null)
                {
                    KillTree(process);
                    break;
                }
            }

            await exited.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref s_active);
        }

        var walltime = time.GetElapsedTime(startedAt);

        // A background child may hold the output pipes open after the command exited; do not wait for it forever.
        await Task.WhenAny(pumps, Task.Delay(OutputDrainLimit, time, CancellationToken.None)).ConfigureAwait(false);
        var exitCode = process.ExitCode;
        if (pipefail && killReason is null && exitCode == SigPipeExit)
        {
            // Under pipefail the status is the rightmost failure; a rightmost SIGPIPE means every command after it
            // succeeded and merely stopped reading early (as in "yes | head"): that pipe did its job.
            exitCode = 0;
        }

        var cpuTime = sampledCpu;
        if (alone && Volatile.Read(ref s_started) == myStart)
        {
            // No other command ran in this process meanwhile: the reaped children's CPU is exactly this tree's.
            var reaped = ProcessTree.ReapedChildrenCpuTime() - reapedBefore;
            cpuTime = reaped > cpuTime ? reaped : cpuTime;
        }

        var peak = (int)Math.Min(int.MaxValue, peakMb);
        if (killReason == LeaseLost)
        {
            throw new JobQueueException(JobQueueErrorKind.MustReserve, "Execute", job.Key, "the lease was lost while the command ran; it was killed and nothing was reported");
        }

        await client.EndedAsync(job, exitCode, peak, cpuTime, stdout.ToArray(), stderr.ToArray(), CancellationToken.None).ConfigureAwait(false);
        var failReason = Classify(killReason, exitCode);
        JobState state;
        if (failReason is null)
        {
            await client.ArchiveAsync(job, CancellationToken.None).ConfigureAwait(false);
            state = JobState.Complete;
        }
        else if (failReason == FailReasons.Signal)
        {
            // The runner is stopping, not the command failing: no retry is spent and anyone may take it at once.
            state = await client.ReleaseAsync(job, failReason, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
        else if (FailReasons.IsPermanent(failReason))
        {
            await client.BuryAsync(job, failReason, CancellationToken.None).ConfigureAwait(false);
            state = JobState.Buried;
        }
        else
        {
            state = await client.ReleaseAsync(job, failReason, null, CancellationToken.None).ConfigureAwait(false);
        }

        return new ExecutionResult(failReason is null, exitCode, failReason ?? "", state, peak, cpuTime, walltime);
    }

    private async Task<string?> TouchAsync(Job job)
    {
        try
        {
            var status = await client.TouchAsync(job, CancellationToken.None).ConfigureAwait(false);
            return status.KillRequested ? FailReasons.Killed : null;
        }
        catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.MustReserve or JobQueueErrorKind.MissingJob)
        {
            // Fencing: someone else holds the job now, so this run must stop and must not report.
            return LeaseLost;
        }
        catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.NoServer or JobQueueErrorKind.DbError)
        {
            // A passing outage; the next touch tries again, well within the lease.
            return null;
        }
    }
}
