using JobQueue.Grains.Jobs;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Queries;

/// <summary>Answers queries from the store's indexes and counters; it never activates job grains.</summary>
[StatelessWorker]
public sealed class JobQueryGrain(IJobStore store, EnvironmentCache environments, TimeProvider time) : Grain, IJobQueryGrain
{
    private readonly JobQueries _queries = new(store.Monitor, environments, time);

    /// <inheritdoc />
    public async Task<int?> CountAhead(string key)
    {
        var row = await store.GetJobAsync(key, CancellationToken.None).ConfigureAwait(true);
        return row is { State: JobState.Ready }
            ? await store.CountReadyAheadAsync(row.Queue, row.Priority, row.Seq, JobQueueDefaults.MaxAheadCount, CancellationToken.None).ConfigureAwait(true)
            : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DependencyWait>> DependencyWaits(IReadOnlyList<string> keys) => DependencyWaitReader.ReadAsync(store, keys, CancellationToken.None);

    /// <inheritdoc />
    public Task<IReadOnlyList<Job>> GetByKeys(IReadOnlyList<string> keys, bool getStd, bool getEnv) => _queries.GetByKeys(keys, getStd, getEnv);

    /// <inheritdoc />
    public Task<IReadOnlyList<Job>> Find(JobQuery query) => _queries.Find(query);

    /// <inheritdoc />
    public Task<IReadOnlyList<Job>> GetRuns(string key, bool getStd, bool getEnv) => _queries.GetRuns(key, getStd, getEnv);

    /// <inheritdoc />
    public Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCounts(string? repGroup) => _queries.GetRepGroupCounts(repGroup);

    /// <inheritdoc />
    public Task<JobPage> List(JobFilter filter, string? after, int limit, bool getStd, bool getEnv) => _queries.List(filter, after, limit, getStd, getEnv);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobGroupStats>> GetGroupStats(string repGroup) => _queries.GetGroupStats(repGroup);
}
