namespace JobQueue.Grains;

/// <summary>Adds batches of jobs durably: the batch is committed in one transaction before the call returns.</summary>
[Alias("JobQueue.Grains.IJobAdderGrain")]
public interface IJobAdderGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the batch; jobs whose key belongs to an incomplete job count as existed.</summary>
    [Alias("Add")]
    Task<AddResult> Add(AddBatch batch);
}

/// <summary>Read-only queries over jobs and their history, answered from the store's indexes.</summary>
[Alias("JobQueue.Grains.IJobQueryGrain")]
public interface IJobQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Each key's incomplete job, else its latest completed run; unknown keys are left out.</summary>
    [Alias("GetByKeys")]
    Task<IReadOnlyList<Job>> GetByKeys(IReadOnlyList<string> keys, bool getStd, bool getEnv);

    /// <summary>Jobs of a rep group (or all incomplete jobs), optionally limited per state/exit code/fail reason group.</summary>
    [Alias("Find")]
    Task<IReadOnlyList<Job>> Find(JobQuery query);

    /// <summary>Every completed run of a job, oldest first.</summary>
    [Alias("GetRuns")]
    Task<IReadOnlyList<Job>> GetRuns(string key, bool getStd, bool getEnv);

    /// <summary>Counts of jobs by state for each rep group (or one).</summary>
    [Alias("GetRepGroupCounts")]
    Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCounts(string? repGroup);
}

/// <summary>The manager as a whole: its identity, live statistics, draining and shutting down.</summary>
[Alias("JobQueue.Grains.IServerGrain")]
public interface IServerGrain : IGrainWithIntegerKey
{
    /// <summary>Facts about the manager.</summary>
    [Alias("Ping")]
    Task<ServerInfo> Ping();

    /// <summary>Counts of jobs by state and the estimated time until running jobs complete.</summary>
    [Alias("GetStats")]
    Task<ServerStats> GetStats();

    /// <summary>Stops new reservations; running jobs finish. Returns what is still running.</summary>
    [Alias("Drain")]
    Task<DrainResult> Drain();

    /// <summary>Backs the SQLite database up now (online backup); returns the backup's path, or null for PostgreSQL (use pg_dump).</summary>
    [Alias("Backup")]
    Task<string?> Backup();

    /// <summary>Asks every manager process to stop.</summary>
    [Alias("Shutdown")]
    Task Shutdown();

    /// <summary>The current mode ("started", "draining") and whether a shutdown was asked for.</summary>
    [Alias("GetMode")]
    Task<ServerModeInfo> GetMode();

    /// <summary>Called by each manager process as it starts: a restarted manager serves again.</summary>
    [Alias("ManagerStarted")]
    Task ManagerStarted(DateTimeOffset startedAt);
}

/// <summary>The manager's mode as every silo needs to know it.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.Grains.ServerModeInfo")]
public sealed record ServerModeInfo(
    [property: Id(0)] string Mode,
    [property: Id(1)] bool ShutdownRequested);

/// <summary>Fires due delays and expired leases; durable through a reminder, precise through a timer.</summary>
[Alias("JobQueue.Grains.IDueJobsGrain")]
public interface IDueJobsGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the grain (its timer runs while it is active).</summary>
    [Alias("Ping")]
    Task Ping();
}
