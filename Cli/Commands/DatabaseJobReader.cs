using JobQueue.Grains.Jobs;
using JobQueue.Grains.Queries;
using JobQueue.Grains.Storage.Sqlite;

namespace JobQueue.Cli;

/// <summary>Reads jobs straight from the embedded SQLite database, read-only, while no manager runs.</summary>
public sealed class DatabaseJobReader : IJobReader
{
    private readonly SqliteJobStore _store;
    private readonly JobQueries _queries;

    /// <summary>Opens <paramref name="dbFile"/> for reading.</summary>
    /// <exception cref="FileNotFoundException">There is no database there.</exception>
    public DatabaseJobReader(string dbFile)
    {
        _store = SqliteJobStore.OpenReadOnly(dbFile);
        _queries = new JobQueries(_store.Monitor, new EnvironmentCache(_store), TimeProvider.System);
    }

    /// <inheritdoc />
    public async Task<Job?> GetByCmdAsync(string cmd, string cwd, bool getStd, bool getEnv, CancellationToken cancellationToken)
    {
        var jobs = await _queries.GetByKeys([JobKey.For(cwd, cmd)], getStd, getEnv).WaitAsync(cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Job>> GetByRepGroupAsync(string repGroup, int limit, JobState? state, bool getStd, bool getEnv, CancellationToken cancellationToken) =>
        _queries.Find(new JobQuery { RepGroup = repGroup, Limit = limit, State = state, GetStd = getStd, GetEnv = getEnv }).WaitAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Job> ListAllAsync(JobFilter filter, bool getStd, bool getEnv, CancellationToken cancellationToken) =>
        JobPage.ReadAllAsync((after, ct) => _queries.List(filter, after, JobQueueDefaults.MaxPageSize, getStd, getEnv).WaitAsync(ct), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCountsAsync(string? repGroup, CancellationToken cancellationToken) =>
        _queries.GetRepGroupCounts(repGroup).WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<WhyContext> GetWhyContextAsync(CancellationToken cancellationToken) =>
        new() { Limits = await _store.GetLimitsAsync(cancellationToken).ConfigureAwait(false) };

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DependencyWait>> GetDependencyWaitsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        DependencyWaitReader.ReadAsync(_store, keys, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
