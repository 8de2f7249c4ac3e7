namespace JobQueue.Grains;

/// <summary>The manager as a whole: its identity, live statistics, draining and shutting down. Each manager answers for itself (a stateless worker).</summary>
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

    /// <summary>Stops handing out jobs across the cluster until <see cref="Resume"/> (running jobs go on; it outlives a restart). Returns the mode now (a drain stays a drain).</summary>
    [Alias("Pause")]
    Task<string> Pause();

    /// <summary>Hands out jobs again after <see cref="Pause"/>. Returns the mode now (a drain stays a drain).</summary>
    [Alias("Resume")]
    Task<string> Resume();

    /// <summary>Sets the limit of limit group <paramref name="name"/>: at most that many of its jobs reserved or running at once (null: no limit).</summary>
    [Alias("SetLimit")]
    Task SetLimit(string name, int? limit);

    /// <summary>The limit groups that have a limit or jobs holding slots.</summary>
    [Alias("GetLimits")]
    Task<IReadOnlyList<LimitGroupInfo>> GetLimits();

    /// <summary>What decides why jobs are not running, beyond their own records: mode, limits, runner sizes, scheduler notes.</summary>
    [Alias("GetWhyContext")]
    Task<WhyContext> GetWhyContext();

    /// <summary>Backs the SQLite database up now (online backup); returns the backup's path, or null for PostgreSQL (use pg_dump).</summary>
    [Alias("Backup")]
    Task<string?> Backup();

    /// <summary>Asks every manager process to stop.</summary>
    [Alias("Shutdown")]
    Task Shutdown();
}
