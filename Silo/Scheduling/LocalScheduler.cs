using System.Diagnostics;
using System.Globalization;
using JobQueue.Grains;
using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using JobQueue.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobQueue.Silo.Scheduling;

/// <summary>
/// Starts runners on this machine. Per scheduler group with ready jobs (oldest group first) it starts as many
/// runners as free cores and memory allow for that group's requirements, never more than there are ready jobs for
/// them, and counts what its own runners hold so the machine is never over-committed. Jobs no machine could run are
/// buried. It also ends a drain (the manager exits once nothing runs) and stops its runners before the manager stops.
/// </summary>
public sealed partial class LocalScheduler(
    IJobStore store,
    IGrainFactory grains,
    ModeView mode,
    RunnerTracker tracker,
    RunnerDemand demand,
    ManagerConfiguration configuration,
    ManagerIdentity identity,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LocalScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    // Looks prompted by jobs waiting for runners come no closer together than this: a pipeline whose jobs release
    // their dependents many times a second then costs at most ten looks a second.
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RunnerStopGrace = TimeSpan.FromSeconds(30);
    private readonly Dictionary<int, Runner> _runners = [];
    private readonly ManagerOptions _options = configuration.Manager;
    private readonly string? _runnerCmd = string.IsNullOrWhiteSpace(configuration.Manager.RunnerCmd) ? RunnerCommandLine.Default() : configuration.Manager.RunnerCmd;
    private bool _spawnFailed;
    private string? _gateways;

    /// <summary>Cores runners may hold.</summary>
    public int MaxCores { get; } = configuration.Manager.MaxCores > 0 ? configuration.Manager.MaxCores : Environment.ProcessorCount;

    /// <summary>Memory (MB) runners may hold.</summary>
    public int MaxRamMb { get; } = configuration.Manager.MaxRamMb > 0 ? configuration.Manager.MaxRamMb : TotalMemoryMb();

    private bool Spawning => _options.Scheduler == "local";

    // With Slurm this scheduler only ends drains; the Slurm scheduler submits, counts and offers runners.
    private bool Slurm => _options.Scheduler == "slurm";

    private string OwnGateway => $"{identity.Host}:{identity.GatewayPort}";

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        List<Runner> runners;
        lock (_runners)
        {
            runners = [.. _runners.Values];
        }

        if (runners.Count == 0)
        {
            return;
        }

        // Runners release their jobs (at no retry cost) when told to stop; they need the manager alive to do so.
        LogStoppingRunners(logger, runners.Count);
        foreach (var runner in runners)
        {
            Signals.Terminate(runner.Process.Id);
        }

        using var grace = new CancellationTokenSource(RunnerStopGrace);
        foreach (var runner in runners)
        {
            try
            {
                await runner.Process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                runner.Process.Kill(entireProcessTree: true);
            }

            runner.Process.Dispose();
        }

        lock (_runners)
        {
            _runners.Clear();
        }

        tracker.Set(0);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Spawning)
        {
            LogStarted(logger, MaxCores, MaxRamMb, _runnerCmd ?? "(none found: set Manager:RunnerCmd)");
        }

        // A look every half second, and sooner when jobs wait for runners (added, released by their dependencies) if
        // this scheduler starts them and has a core left for another; otherwise (it only ends drains, or its runners
        // hold every core) an earlier look could start nothing, and under a busy queue would only cost reads.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, ex);
            }

            try
            {
                await (Spawning && FreeCores() > 0 ? demand.WaitForLookAsync(MinInterval, Interval, time, stoppingToken) : Task.Delay(Interval, time, stoppingToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The machine's total memory: what happened to be free when the manager started says nothing about what a job can have.
    private static int TotalMemoryMb()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line.AsSpan(9).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                return (int)(kb / 1024);
            }
        }

        return 1024;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        Reap();
        var running = await store.Monitor.GetRunningAsync(cancellationToken).ConfigureAwait(false);
        if (mode.IsDraining)
        {
            if (RunnerCount == 0 && running.Count == 0)
            {
                LogDrained(logger);
                lifetime.StopApplication();
            }

            return;
        }

        if (mode.IsPaused)
        {
            // No runners for jobs that would not be handed out; those running go on.
            return;
        }

        if (Slurm)
        {
            return;
        }

        // In a cluster another manager's machine may run what this one cannot: only what fits none is impossible.
        // A manager that starts no runners offers nothing, but says so, so that the view can be complete.
        var spawning = Spawning && _runnerCmd is not null;
        var cluster = await grains.GetGrain<IClusterCapacityGrain>(0)
            .Offer(OwnGateway, spawning ? new MachineSize(MaxRamMb, MaxCores) : new MachineSize(0, 0)).ConfigureAwait(false);

        // Runners connect here first and fall back on the cluster's other managers if this one dies.
        _gateways = string.Join(',', cluster.Gateways.Where(g => g != OwnGateway).Prepend(OwnGateway));
        if (!spawning)
        {
            return;
        }

        var busy = running.GroupBy(r => r.Queue, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var waiting = new List<(string Queue, ReadyEntry Head, int RamMb, int Cores)>();
        foreach (var queue in await store.GetQueuesAsync(cancellationToken).ConfigureAwait(false))
        {
            var head = (await store.GetReadyAsync(queue, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (head is null || !SchedulerGroup.TryParse(queue, out var ramMb, out _, out var cores))
            {
                continue;
            }

            if (ramMb > MaxRamMb || cores > MaxCores)
            {
                if (cluster.Impossible(ramMb, cores))
                {
                    await BuryImpossibleAsync(queue, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            waiting.Add((queue, head, ramMb, Math.Max(1, cores)));
        }

        // No more runners for a limited group than it has free slots: the others would only wait.
        var slots = waiting.Any(w => SchedulerGroup.LimitGroupsOf(w.Queue).Count > 0)
            ? (await store.GetLimitsAsync(cancellationToken).ConfigureAwait(false))
                .Where(l => l.Limit is not null)
                .ToDictionary(l => l.Name, l => Math.Max(0, l.Limit!.Value - l.Running), StringComparer.Ordinal)
            : [];

        // First come, first served: the group whose best job was added earliest gets resources first, and a group
        // that does not fit now holds back the ones behind it rather than being starved by smaller ones.
        foreach (var (queue, _, ramMb, cores) in waiting.OrderBy(w => w.Head.Seq))
        {
            var alive = RunnersOf(queue);
            var idle = Math.Max(0, alive - busy.GetValueOrDefault(queue));
            var ready = await store.CountReadyAsync(queue, MaxCores + idle, cancellationToken).ConfigureAwait(false);
            var limited = SchedulerGroup.LimitGroupsOf(queue).Where(slots.ContainsKey).ToList();
            if (limited.Count > 0)
            {
                ready = Math.Min(ready, limited.Min(g => slots[g]));
                limited.ForEach(g => slots[g] = Math.Max(0, slots[g] - ready));
            }

            for (var wanted = ready - idle; wanted > 0; wanted--)
            {
                if (FreeCores() < cores || FreeRamMb() < ramMb)
                {
                    return;
                }

                Spawn(queue, ramMb, cores);
            }
        }
    }

    private async Task BuryImpossibleAsync(string queue, CancellationToken cancellationToken)
    {
        foreach (var key in await ImpossibleJobs.BuryAsync(grains, queue, $"scheduler@{identity.Host}", cancellationToken).ConfigureAwait(false))
        {
            LogBurying(logger, key, queue, MaxCores, MaxRamMb);
        }
    }

    private void Spawn(string queue, int ramMb, int cores)
    {
        var command = RunnerCommandLine.Expand(
            _runnerCmd!,
            JobQueueDefaults.QueueName,
            queue,
            _options.Deployment,
            _gateways ?? OwnGateway,
            _options.RunnerReserveTimeout,
            0);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec " + command);
        start.Environment["JOBQUEUE_CLUSTER_ID"] = _options.ClusterId;
        start.Environment["JOBQUEUE_SERVICE_ID"] = _options.ServiceId;
        start.Environment["JOBQUEUE_HOME"] = _options.Home;
        start.Environment["JOBQUEUE_TLS"] = _options.Tls ? "true" : "false";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            if (!_spawnFailed)
            {
                _spawnFailed = true;
                LogSpawnFailed(logger, ex, command);
            }

            return;
        }

        var pid = process.Id;
        process.OutputDataReceived += (_, e) => Relay(pid, e.Data);
        process.ErrorDataReceived += (_, e) => Relay(pid, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_runners)
        {
            _runners[pid] = new Runner(process, queue, ramMb, cores);
            tracker.Set(_runners.Count);
        }

        LogSpawned(logger, pid, queue);
    }

    private void Relay(int pid, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            LogRunnerOutput(logger, pid, line);
        }
    }

    private void Reap()
    {
        lock (_runners)
        {
            foreach (var (pid, runner) in _runners.Where(r => r.Value.Process.HasExited).ToList())
            {
                LogRunnerExited(logger, pid, runner.Queue, runner.Process.ExitCode);
                runner.Process.Dispose();
                _runners.Remove(pid);
            }

            if (!Slurm)
            {
                tracker.Set(_runners.Count);
            }
        }
    }

    private int RunnerCount
    {
        get
        {
            lock (_runners)
            {
                return _runners.Count;
            }
        }
    }

    private int RunnersOf(string queue)
    {
        lock (_runners)
        {
            return _runners.Values.Count(r => r.Queue == queue);
        }
    }

    private int FreeCores()
    {
        lock (_runners)
        {
            return MaxCores - _runners.Values.Sum(r => r.Cores);
        }
    }

    private long FreeRamMb()
    {
        lock (_runners)
        {
            return MaxRamMb - _runners.Values.Sum(r => (long)r.RamMb);
        }
    }

    private sealed record Runner(Process Process, string Queue, int RamMb, int Cores);
}
