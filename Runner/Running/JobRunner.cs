using JobQueue.Client;
using JobQueue.Client.Execution;

namespace JobQueue.Runner;

/// <summary>
/// A runner's loop: reserve a job of its scheduler group, execute it, repeat. A manager that does not answer (it is
/// restarting, or one of a cluster died) is a passing fault: the runner keeps its command within the lease rule and
/// reconnects through any live gateway. It exits only when the manager drains or shuts down, when no job arrived for
/// its reserve timeout, when its time is up, or when told to stop.
/// </summary>
public sealed class JobRunner(JobQueueClient client, RunnerSettings settings, TextWriter log, TimeProvider? time = null)
{
    private static readonly TimeSpan OutagePause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinReserveWait = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Runs jobs until there are none; returns the process exit code (0, or 1 if this runner does not fit the manager).</summary>
    /// <param name="options">How commands are watched.</param>
    /// <param name="stop">Cancelled when the runner is told to stop: the running command is killed and its job released.</param>
    public async Task<int> RunAsync(ExecuteOptions? options = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var info = await client.GetServerInfoAsync(stop).ConfigureAwait(false);
        if (Mismatch(info) is { } problem)
        {
            await log.WriteLineAsync($"runner: {problem}; refusing to run its jobs").ConfigureAwait(false);
            return 1;
        }

        var host = (options ?? new ExecuteOptions()).Host;
        var started = _time.GetTimestamp();
        var idleSince = started;
        SchedulerGroup.TryParse(settings.Group, out _, out var jobTime, out _);
        var done = 0;
        var outage = false;
        while (!stop.IsCancellationRequested)
        {
            if (settings.MaxTime > TimeSpan.Zero && _time.GetElapsedTime(started) + jobTime > settings.MaxTime)
            {
                await log.WriteLineAsync($"runner: no time left for another {jobTime} job within {settings.MaxTime}; exiting after {done} jobs").ConfigureAwait(false);
                return 0;
            }

            var idle = _time.GetElapsedTime(idleSince);
            if (idle >= settings.ReserveTimeout)
            {
                await log.WriteLineAsync($"runner: no job arrived within {settings.ReserveTimeout}; exiting after {done} jobs").ConfigureAwait(false);
                return 0;
            }

            Job? job;
            try
            {
                var wait = settings.ReserveTimeout - idle;
                // Reserved and started in one commit: the command runs at once.
                job = await client.ReserveAndStartAsync(wait < MinReserveWait ? MinReserveWait : wait, settings.Group, host, stop).ConfigureAwait(false);
                if (job is null && await DrainingAsync(stop).ConfigureAwait(false))
                {
                    await log.WriteLineAsync($"runner: the manager is draining; exiting after {done} jobs").ConfigureAwait(false);
                    return 0;
                }

                outage = false;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.NoServer or JobQueueErrorKind.DbError)
            {
                if (outage)
                {
                    await PauseAsync(stop).ConfigureAwait(false);
                    continue;
                }

                // Try again at once: the call may have failed only because the manager holding it died, and
                // another manager can serve the next one.
                await log.WriteLineAsync($"runner: the manager does not answer ({ex.Detail ?? ex.Message}); retrying").ConfigureAwait(false);
                outage = true;
                continue;
            }

            if (job is null)
            {
                continue;
            }

            await ExecuteAsync(job, options, stop).ConfigureAwait(false);
            done++;
            idleSince = _time.GetTimestamp();
        }

        await log.WriteLineAsync($"runner: told to stop; exiting after {done} jobs").ConfigureAwait(false);
        return 0;
    }

    private string? Mismatch(ServerInfo info)
    {
        if (!string.Equals(info.Deployment, settings.Deployment, StringComparison.Ordinal))
        {
            return $"this is a {settings.Deployment} runner but the manager at {info.Addr} runs {info.Deployment}";
        }

        return string.Equals(info.Queue, settings.Queue, StringComparison.Ordinal)
            ? null
            : $"this runner serves queue \"{settings.Queue}\" but the manager at {info.Addr} serves \"{info.Queue}\"";
    }

    private async Task ExecuteAsync(Job job, ExecuteOptions? options, CancellationToken stop)
    {
        try
        {
            var result = await client.ExecuteAsync(job, settings.Shell, options, stop).ConfigureAwait(false);
            await log.WriteLineAsync(
                result.Succeeded
                    ? $"runner: {job.Key} completed in {result.Walltime.TotalSeconds:F1}s"
                    : $"runner: {job.Key} {result.State.ToName()} ({result.FailReason}, exit {result.ExitCode})").ConfigureAwait(false);
        }
        catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.MustReserve or JobQueueErrorKind.MissingJob or JobQueueErrorKind.BadJob)
        {
            // Its lease is gone (the manager gave the job to someone else, or never heard from this runner in time):
            // the command was killed and nothing was reported. The job runs again elsewhere; this runner goes on.
            await log.WriteLineAsync($"runner: {job.Key}: {ex.Message}").ConfigureAwait(false);
        }
    }

    private async Task<bool> DrainingAsync(CancellationToken stop)
    {
        try
        {
            return (await client.GetServerInfoAsync(stop).ConfigureAwait(false)).Mode == ModeNames.Draining;
        }
        catch (JobQueueException)
        {
            return false;
        }
    }

    private async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(OutagePause, _time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Told to stop; the loop ends.
        }
    }
}
