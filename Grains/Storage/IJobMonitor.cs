namespace JobQueue.Grains.Storage;

/// <summary>Read-only status queries; every one is bounded by a limit or by the size of its answer.</summary>
public interface IJobMonitor
{
    /// <summary>Incomplete jobs by key; missing keys are left out.</summary>
    Task<IReadOnlyList<JobRecord>> GetJobsAsync(IReadOnlyList<string> keys, bool withOutput, CancellationToken cancellationToken);

    /// <summary>The latest completed run of each key that has one.</summary>
    Task<IReadOnlyList<JobRecord>> GetLatestRunsAsync(IReadOnlyList<string> keys, bool withOutput, CancellationToken cancellationToken);

    /// <summary>Every completed run of a key, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> GetRunsAsync(string key, bool withOutput, CancellationToken cancellationToken);

    /// <summary>The counters, optionally of one rep group; only non-zero rows.</summary>
    Task<IReadOnlyList<CountRow>> GetCountsAsync(string? repGroup, CancellationToken cancellationToken);

    /// <summary>Jobs of one count group (rep group or all, state, exit code, fail reason), oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> GetGroupAsync(string? repGroup, CountKey group, int limit, bool withOutput, CancellationToken cancellationToken);

    /// <summary>All jobs matching a rep group (or all incomplete) and an optional state, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> GetAllAsync(string? repGroup, JobState? state, bool withOutput, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> jobs matching <paramref name="filter"/> after <paramref name="after"/>, in index
    /// order (incomplete jobs by state, exit code, fail reason and seq; then a rep group's complete runs), each with
    /// the cursor that resumes after it. A seek on an index: the cost does not grow with the pages before it.
    /// </summary>
    Task<IReadOnlyList<(JobRecord Job, JobCursor Cursor)>> GetPageAsync(JobFilter filter, JobCursor? after, int limit, bool withOutput, CancellationToken cancellationToken);

    /// <summary>The statistics rows and histogram buckets of a rep group's count groups (only non-empty ones).</summary>
    Task<(IReadOnlyList<StatsRow> Rows, IReadOnlyList<StatsBucket> Buckets)> GetStatsAsync(string repGroup, CancellationToken cancellationToken);

    /// <summary>The keys of jobs reserved under exactly this lease whose command is not known to run (reserved, or started when reserved with no pid yet): a seek on the state index, as few rows as there are leases.</summary>
    Task<IReadOnlyList<string>> GetReservedUnderAsync(string lease, CancellationToken cancellationToken);

    /// <summary>Reserved and running jobs.</summary>
    Task<IReadOnlyList<RunningJob>> GetRunningAsync(CancellationToken cancellationToken);
}
