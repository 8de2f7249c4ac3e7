using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Manager;

/// <summary>The manager as a whole: identity, statistics from the counters, drain and shutdown.</summary>
public sealed class ServerGrain(
    [PersistentState("server", JobQueueStorage.GrainStorageName)] IPersistentState<ServerState> state,
    IJobStore store,
    ManagerIdentity identity,
    ModeView mode,
    RunnerTracker runners,
    Hosting.JobQueueSiloService silo,
    TimeProvider time) : Grain, IServerGrain
{
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
            Delayed = Sum(JobState.Delayed),
            Ready = Sum(JobState.Ready),
            Running = Sum(JobState.Reserved, JobState.Running),
            Buried = Sum(JobState.Buried),
            Complete = Sum(JobState.Complete),
            Etc = etc,
            Runners = runners.Count,
            SchedulerNotes = await GrainFactory.GetGrain<IClusterCapacityGrain>(0).Explanations().ConfigureAwait(true),
        };
    }

    /// <inheritdoc />
    public async Task<DrainResult> Drain()
    {
        state.State.Mode = ModeNames.Draining;
        await state.WriteStateAsync().ConfigureAwait(true);
        mode.Set(Mode());
        var (running, etc) = await RunningAsync().ConfigureAwait(true);
        return new DrainResult(running, etc);
    }

    /// <inheritdoc />
    public Task<string?> Backup() => silo.BackupNowAsync(CancellationToken.None);

    /// <inheritdoc />
    public async Task Shutdown()
    {
        state.State.ShutdownRequested = true;
        await state.WriteStateAsync().ConfigureAwait(true);
        mode.Set(Mode());
    }

    /// <inheritdoc />
    public Task<ManagerMode> GetMode() => Task.FromResult(Mode());

    /// <inheritdoc />
    public async Task ManagerStarted(DateTimeOffset startedAt)
    {
        // A manager that joins a cluster in the middle of a drain or shutdown joins it: the mode resets only when the
        // whole cluster starts afresh (this is its only manager).
        var managers = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(true);
        if (managers.Count <= 1)
        {
            state.State.Mode = ModeNames.Started;
            state.State.ShutdownRequested = false;
        }

        state.State.LastStartedAt = startedAt;
        await state.WriteStateAsync().ConfigureAwait(true);
        mode.Set(Mode());
    }

    private ManagerMode Mode() => new(state.State.Mode, state.State.ShutdownRequested);

    private ServerInfo Info() => new()
    {
        Addr = $"{identity.Host}:{identity.GatewayPort}",
        Host = identity.Host,
        Port = identity.GatewayPort,
        WebPort = identity.WebPort,
        Pid = Environment.ProcessId,
        Deployment = identity.Deployment,
        Scheduler = identity.Scheduler,
        Mode = state.State.Mode,
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
