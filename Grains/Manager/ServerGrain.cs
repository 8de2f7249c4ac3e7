using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Manager;

/// <summary>
/// The manager as a whole: identity, statistics from the counters, drain and shutdown. A stateless worker: each
/// manager answers for itself (a client's calls go to its gateway's manager), reading what the store knows, so
/// connecting and status never wait for one grain that may have lived on a manager that just died.
/// </summary>
[StatelessWorker]
public sealed class ServerGrain(
    IJobStore store,
    ManagerIdentity identity,
    ModeView mode,
    ClusterMode clusterMode,
    RunnerTracker runners,
    Hosting.JobQueueSiloService silo,
    TimeProvider time) : Grain, IServerGrain
{
    private static readonly TimeSpan NotesPatience = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public Task<ServerInfo> Ping() => Task.FromResult(Info());

    /// <inheritdoc />
    public async Task<ServerStats> GetStats()
    {
        var counts = await store.Monitor.GetCountsAsync(null, CancellationToken.None).ConfigureAwait(true);
        long Sum(params JobState[] states) => counts.Where(c => states.Contains(c.Key.State)).Sum(c => c.Count);
        var (_, etc) = await RunningAsync().ConfigureAwait(true);
        return new ServerStats
        {
            ServerInfo = Info(),
            Dependent = Sum(JobState.Dependent),
            Delayed = Sum(JobState.Delayed),
            Ready = Sum(JobState.Ready),
            Running = Sum(JobState.Reserved, JobState.Running),
            Buried = Sum(JobState.Buried),
            Complete = Sum(JobState.Complete),
            Etc = etc,
            Runners = runners.Count,
            SchedulerNotes = await SchedulerNotesAsync().ConfigureAwait(true),
        };
    }

    /// <inheritdoc />
    public async Task<DrainResult> Drain()
    {
        await clusterMode.ChangeAsync(m => m with { Mode = ModeNames.Draining }, CancellationToken.None).ConfigureAwait(true);
        var (running, etc) = await RunningAsync().ConfigureAwait(true);
        return new DrainResult(running, etc);
    }

    /// <inheritdoc />
    public async Task<string> Pause() =>
        (await clusterMode.ChangeAsync(m => m.Mode == ModeNames.Started ? m with { Mode = ModeNames.Paused } : m, CancellationToken.None).ConfigureAwait(true)).Mode;

    /// <inheritdoc />
    public async Task<string> Resume() =>
        (await clusterMode.ChangeAsync(m => m.Mode == ModeNames.Paused ? m with { Mode = ModeNames.Started } : m, CancellationToken.None).ConfigureAwait(true)).Mode;

    /// <inheritdoc />
    public Task SetLimit(string name, int? limit) => Limits.LimitSetter.SetAsync(store, GrainFactory, name, limit);

    /// <inheritdoc />
    public Task<IReadOnlyList<LimitGroupInfo>> GetLimits() => store.GetLimitsAsync(CancellationToken.None);

    /// <inheritdoc />
    public async Task<WhyContext> GetWhyContext() => new()
    {
        Mode = mode.Name,
        Limits = await store.GetLimitsAsync(CancellationToken.None).ConfigureAwait(true),
        RunnerSizes = (await GrainFactory.GetGrain<IClusterCapacityGrain>(0).View().ConfigureAwait(true)).Sizes,
        SchedulerNotes = await SchedulerNotesAsync().ConfigureAwait(true),
    };

    /// <inheritdoc />
    public Task<string?> Backup() => silo.BackupNowAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task Shutdown() => clusterMode.ChangeAsync(m => m with { ShutdownRequested = true }, CancellationToken.None);

    // The scheduler's reasons are a nicety: a status never waits long for them.
    private async Task<IReadOnlyDictionary<string, string>> SchedulerNotesAsync()
    {
        try
        {
            return await GrainFactory.GetGrain<IClusterCapacityGrain>(0).Explanations().WaitAsync(NotesPatience, time).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return new Dictionary<string, string>();
        }
    }

    private ServerInfo Info() => new()
    {
        Addr = $"{identity.Host}:{identity.GatewayPort}",
        Host = identity.Host,
        Port = identity.GatewayPort,
        WebPort = identity.WebPort,
        Pid = Environment.ProcessId,
        Deployment = identity.Deployment,
        Scheduler = identity.Scheduler,
        Mode = mode.Name,
        StartedAt = identity.StartedAt,
        Storage = store.ProviderName,
    };

    private async Task<(long Running, TimeSpan Etc)> RunningAsync()
    {
        var running = await store.Monitor.GetRunningAsync(CancellationToken.None).ConfigureAwait(true);
        var now = time.GetUtcNow();
        var etc = running
            .Select(r => (r.StartedAt ?? now) + r.Time - now)
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max();
        return (running.Count, etc < TimeSpan.Zero ? TimeSpan.Zero : etc);
    }
}
