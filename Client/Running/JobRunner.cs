using JobQueue.Client.Execution;

namespace JobQueue.Client.Running;

/// <summary>What a runner is told when it is started.</summary>
public sealed record RunnerSettings
{
    /// <summary>The queue's name, as in the model's runner command line (this manager serves one).</summary>
    public string Queue { get; init; } = "cmds";

    /// <summary>The scheduler group it serves ("ramMb:minutes:cores").</summary>
    public required string Group { get; init; }

    /// <summary>The manager's deployment.</summary>
    public string Deployment { get; init; } = "production";

    /// <summary>Gateways of the manager, "host:port[,host:port]".</summary>
    public required string Server { get; init; }

    /// <summary>How long to wait for a job before exiting.</summary>
    public TimeSpan ReserveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the runner may keep taking jobs; zero means no limit.</summary>
    public TimeSpan MaxTime { get; init; }

    /// <summary>The shell commands run under.</summary>
    public string Shell { get; init; } = "bash";
}

/// <summary>
/// A runner's loop: reserve a job of its scheduler group, execute it, repeat; stop when nothing arrives within the
/// reserve timeout, when another job could not finish within its time limit, or when told to stop.
/// </summary>
public sealed class JobRunner(JobQueueClient client, RunnerSettings settings, TextWriter log, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Runs jobs until there are none; returns the process exit code (0).</summary>
    /// <param name="options">How commands are watched.</param>
    /// <param name="stop">Cancelled when the runner is told to stop: the running command is killed and its job released.</param>
    public async Task<int> RunAsync(ExecuteOptions? options = null, CancellationToken stop = default)
    {
        var started = _time.GetTimestamp();
        SchedulerGroup.TryParse(settings.Group, out _, out var jobTime, out _);
        var done = 0;
        while (!stop.IsCancellationRequested)
        {
            if (settings.MaxTime > TimeSpan.Zero && _time.GetElapsedTime(started) + jobTime > settings.MaxTime)
            {
                await log.WriteLineAsync($"runner: no time left for another {jobTime} job within {settings.MaxTime}; exiting after {done} jobs").ConfigureAwait(false);
                return 0;
            }

            Job? job;
            try
            {
                job = await client.ReserveScheduledAsync(settings.ReserveTimeout, settings.Group, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (JobQueueException ex) when (ex.Kind == JobQueueErrorKind.QueueClosed)
            {
                await log.WriteLineAsync($"runner: the manager is draining; exiting after {done} jobs").ConfigureAwait(false);
                return 0;
            }

            if (job is null)
            {
                await log.WriteLineAsync($"runner: no job arrived within {settings.ReserveTimeout}; exiting after {done} jobs").ConfigureAwait(false);
                return 0;
            }

            var result = await client.ExecuteAsync(job, settings.Shell, options, stop).ConfigureAwait(false);
            done++;
            await log.WriteLineAsync(
                result.Succeeded
                    ? $"runner: {job.Key} completed in {result.Walltime.TotalSeconds:F1}s: {job.Cmd}"
                    : $"runner: {job.Key} {result.State.ToName()} ({result.FailReason}, exit {result.ExitCode}): {job.Cmd}").ConfigureAwait(false);
        }

        await log.WriteLineAsync($"runner: told to stop; exiting after {done} jobs").ConfigureAwait(false);
        return 0;
    }
}
