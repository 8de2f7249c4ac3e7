namespace JobQueue.Grains;

/// <summary>Read-only queries over jobs and their history, answered from the store's indexes.</summary>
[Alias("JobQueue.Grains.IJobQueryGrain")]
public interface IJobQueryGrain : IGrainWithIntegerKey
{
    /// <summary>How many ready jobs of its scheduler group go before the ready job <paramref name="key"/> (at most <see cref="JobQueueDefaults.MaxAheadCount"/>); null if it is not ready.</summary>
    [Alias("CountAhead")]
    Task<int?> CountAhead(string key);

    /// <summary>What each of the dependent jobs <paramref name="keys"/> still waits on, by key; jobs without dependencies are left out.</summary>
    [Alias("DependencyWaits")]
    Task<IReadOnlyDictionary<string, DependencyWait>> DependencyWaits(IReadOnlyList<string> keys);

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

    /// <summary>
    /// One page of the jobs matching <paramref name="filter"/>, resuming after the cursor <paramref name="after"/>
    /// (null: from the start); at most <paramref name="limit"/> (capped at <see cref="JobQueueDefaults.MaxPageSize"/>).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="after"/> is not a cursor of this server.</exception>
    [Alias("List")]
    Task<JobPage> List(JobFilter filter, string? after, int limit, bool getStd, bool getEnv);

    /// <summary>A rep group's jobs by state, exit code and fail reason, with the statistics of their runs.</summary>
    [Alias("GetGroupStats")]
    Task<IReadOnlyList<JobGroupStats>> GetGroupStats(string repGroup);
}
