namespace JobQueue.Grains;

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
