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

    /// <summary>Backs the SQLite database up now (online backup); returns the backup's path, or null for PostgreSQL (use pg_dump).</summary>
    [Alias("Backup")]
    Task<string?> Backup();

    /// <summary>Asks every manager process to stop.</summary>
    [Alias("Shutdown")]
    Task Shutdown();
}
