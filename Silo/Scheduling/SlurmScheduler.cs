using System.Globalization;
using JobQueue.Grains;
using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using JobQueue.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobQueue.Silo.Scheduling;

/// <summary>
/// Submits runners to Slurm. Each runner job asks for exactly its scheduler group's memory and cores (and at least its
/// time) and runs that group's jobs one after another until it has been idle for a while, so one allocation runs many
/// commands. One squeue call a poll tracks the runner jobs of every group; a group gets at most as many as it has ready
/// jobs, within Slurm:MaxRunners for all groups together, counting those already pending or running. Jobs that fit no
/// node of any partition are buried; the reasons Slurm gives for pending runners are reported for status. It looks every
/// Slurm:PollSeconds, and sooner when a queue has more ready jobs than waiting runners (at most once a second). On drain
/// pending runner jobs are cancelled (running ones finish their job and exit); on stop running ones are told to stop
/// (they release their jobs) and pending ones are cancelled.
/// </summary>
public sealed partial class SlurmScheduler(
    IJobStore store,
    IGrainFactory grains,
    ModeView mode,
    RunnerTracker tracker,
    RunnerDemand demand,
    ManagerConfiguration configuration,
    ManagerIdentity identity,
    SlurmCommands slurm,
    TimeProvider time,
    ILogger<SlurmScheduler> logger) : BackgroundService
{
    // Looks prompted by jobs waiting for runners come no closer together than this: each calls squeue, and Slurm's
    // controller serves everyone.
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private readonly SlurmOptions _options = configuration.Slurm;
    private readonly ManagerOptions _manager = configuration.Manager;
    private readonly string? _runnerCmd = string.IsNullOrWhiteSpace(configuration.Manager.RunnerCmd) ? RunnerCommandLine.Default() : configuration.Manager.RunnerCmd;
    private IReadOnlyList<SlurmCommands.Partition> _partitions = [];
    private IReadOnlyList<SlurmCommands.QueuedJob> _queued = [];

    /// <summary>The prefix of this cluster's runner job names.</summary>
    public string JobPrefix => $"jobqueue_{_manager.ClusterId}_";

    private string OwnGateway => $"{identity.Host}:{identity.GatewayPort}";

    /// <summary>The runner job name of a scheduler group ("ramMb:minutes:cores" with ':' as '_').</summary>
    public string JobName(string queue) => JobPrefix + queue.Replace(':', '_');

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var queued = await slurm.QueueAsync(JobPrefix, CancellationToken.None).ConfigureAwait(false);
            await slurm.CancelAsync([.. queued.Where(j => j.Pending).Select(j => j.Id)], null, CancellationToken.None).ConfigureAwait(false);

            // Running runners are told to stop: they release their jobs at no cost, as local runners do.
            await slurm.CancelAsync([.. queued.Where(j => j.State == "RUNNING").Select(j => j.Id)], "TERM", CancellationToken.None).ConfigureAwait(false);
            LogStopped(logger, queued.Count);
        }
        catch (InvalidOperationException ex)
        {
            LogSlurmFailed(logger, ex);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, _options.MaxRunners, _runnerCmd ?? "(none found: set Manager:RunnerCmd)");
        // A look every Slurm:PollSeconds, and sooner (at most once a second) when jobs wait for runners.
        var interval = TimeSpan.FromSeconds(_options.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSlurmFailed(logger, ex);
            }

            try
            {
                await demand.WaitForLookAsync(MinInterval, interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _queued = await slurm.QueueAsync(JobPrefix, cancellationToken).ConfigureAwait(false);
        var active = _queued.Where(j => j.Active).ToList();
        tracker.Set(active.Count);
        if (mode.IsDraining)
        {
            // No new submissions; what has not started never will. Running runners find nothing and exit.
            await slurm.CancelAsync([.. active.Where(j => j.Pending).Select(j => j.Id)], null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (mode.IsPaused)
        {
            // Nothing new is submitted while no job would be handed out; runners already there wait or go idle.
            return;
        }

        if (_partitions.Count == 0)
        {
            _partitions = await slurm.PartitionsAsync(cancellationToken).ConfigureAwait(false);
        }

        var largest = new MachineSize(_partitions.Max(p => p.MemoryMb), _partitions.Max(p => p.Cpus));
        var cluster = await grains.GetGrain<IClusterCapacityGrain>(0).Offer(OwnGateway, largest).ConfigureAwait(false);
        await grains.GetGrain<IClusterCapacityGrain>(0).Explain(OwnGateway, PendingReasons(active)).ConfigureAwait(false);
        if (_runnerCmd is null)
        {
            return;
        }

        var total = active.Count;
        var waiting = new List<(string Queue, ReadyEntry Head, int RamMb, int Minutes, int Cores)>();
        foreach (var queue in await store.GetQueuesAsync(cancellationToken).ConfigureAwait(false))
        {
            var head = (await store.GetReadyAsync(queue, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (head is null || !SchedulerGroup.TryParse(queue, out var ramMb, out var jobTime, out var cores))
            {
                continue;
            }

            if (cluster.Impossible(ramMb, cores))
            {
                foreach (var key in await ImpossibleJobs.BuryAsync(grains, queue, $"slurm@{identity.Host}", cancellationToken).ConfigureAwait(false))
                {
                    LogBurying(logger, key, queue, largest.RamMb, largest.Cores);
                }

                continue;
            }

            waiting.Add((queue, head, ramMb, (int)Math.Ceiling(jobTime.TotalMinutes), Math.Max(1, cores)));
        }

        foreach (var (queue, _, ramMb, minutes, cores) in waiting.OrderBy(w => w.Head.Seq))
        {
            var mine = active.Count(j => j.Name == JobName(queue));
            var room = _options.MaxRunners - total;
            var ready = await store.CountReadyAsync(queue, Math.Max(0, room) + mine, cancellationToken).ConfigureAwait(false);
            for (var wanted = Math.Min(ready, room + mine) - mine; wanted > 0 && total < _options.MaxRunners; wanted--)
            {
                await SubmitAsync(queue, ramMb, minutes, cores, cancellationToken).ConfigureAwait(false);
                total++;
            }
        }
    }

    private Dictionary<string, string> PendingReasons(IEnumerable<SlurmCommands.QueuedJob> active) =>
        active.Where(j => j.Pending && j.Reason is not ("None" or ""))
            .GroupBy(j => j.Name[JobPrefix.Length..].Replace('_', ':'), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => $"{g.Count()} runner job(s) pending in Slurm ({string.Join(", ", g.Select(j => j.Reason).Distinct())})", StringComparer.Ordinal);

    private async Task SubmitAsync(string queue, int ramMb, int minutes, int cores, CancellationToken cancellationToken)
    {
        var runnerMinutes = Math.Max(minutes + 1, _options.RunnerMinutes);
        var partition = Partition(runnerMinutes);
        var command = RunnerCommandLine.Expand(_runnerCmd!, JobQueueDefaults.QueueName, queue, _manager.Deployment, OwnGateway, _options.RunnerIdleTimeout, runnerMinutes);
        var script = $"""
            #!/bin/sh
            export JOBQUEUE_CLUSTER_ID='{_manager.ClusterId}' JOBQUEUE_SERVICE_ID='{_manager.ServiceId}'
            export JOBQUEUE_HOME='{_manager.Home.Replace("'", "'\\''", StringComparison.Ordinal)}' JOBQUEUE_TLS='{(_manager.Tls ? "true" : "false")}'
            exec {command}

            """;
        var args = new List<string>
        {
            "--job-name", JobName(queue),
            "--mem", string.Create(CultureInfo.InvariantCulture, $"{ramMb}M"),
            "--time", runnerMinutes.ToString(CultureInfo.InvariantCulture),
            "--cpus-per-task", cores.ToString(CultureInfo.InvariantCulture),
            "--output", _options.Output,
        };
        if (partition is not null)
        {
            args.AddRange(["--partition", partition]);
        }

        if (_options.Account.Length > 0)
        {
            args.AddRange(["--account", _options.Account]);
        }

        if (_options.Qos.Length > 0)
        {
            args.AddRange(["--qos", _options.Qos]);
        }

        args.AddRange(_options.ExtraArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var id = await slurm.SubmitAsync(args, script, cancellationToken).ConfigureAwait(false);
        LogSubmitted(logger, id, queue);
    }

    // The configured partition, else the one with the shortest time limit that fits (the default one if none fits).
    private string? Partition(int minutes) =>
        _options.Partition.Length > 0 ? _options.Partition
        : _partitions.Where(p => p.MaxMinutes >= minutes).OrderBy(p => p.MaxMinutes).FirstOrDefault()?.Name
          ?? _partitions.FirstOrDefault(p => p.IsDefault)?.Name;
}
