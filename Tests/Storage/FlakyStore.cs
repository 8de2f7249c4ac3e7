using JobQueue.Grains.Storage;

namespace JobQueue.Tests.Storage;

/// <summary>A real store whose batch writes fail with a passing error a given number of times first.</summary>
public sealed class FlakyStore(IJobStore inner, int failures) : IJobStore
{
    private int _failuresLeft = failures;
    private int _calls;

    /// <summary>How many batches were handed to the store, failed or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Interlocked.Decrement(ref _failuresLeft) >= 0 ? throw new TransientDbException() : inner.WriteAsync(batch, cancellationToken);
    }

    public string ProviderName => inner.ProviderName;

    public IJobMonitor Monitor => inner.Monitor;

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<JobRecord?> GetJobAsync(string key, CancellationToken cancellationToken) => inner.GetJobAsync(key, cancellationToken);

    public Task<IReadOnlyList<ReadyEntry>> GetReadyAsync(string queue, int limit, CancellationToken cancellationToken) => inner.GetReadyAsync(queue, limit, cancellationToken);

    public Task<int> CountReadyAsync(string queue, int cap, CancellationToken cancellationToken) => inner.CountReadyAsync(queue, cap, cancellationToken);

    public Task<int> PruneQueuesAsync(CancellationToken cancellationToken) => inner.PruneQueuesAsync(cancellationToken);

    public Task<IReadOnlyList<DueJob>> GetDueAsync(DateTimeOffset now, DueJob? after, int limit, CancellationToken cancellationToken) => inner.GetDueAsync(now, after, limit, cancellationToken);

    public Task<byte[]?> GetEnvAsync(string envKey, CancellationToken cancellationToken) => inner.GetEnvAsync(envKey, cancellationToken);

    public Task<IReadOnlyList<string>> GetQueuesAsync(CancellationToken cancellationToken) => inner.GetQueuesAsync(cancellationToken);

    public Task<int> CountReadyAheadAsync(string queue, int priority, long seq, int cap, CancellationToken cancellationToken) =>
        inner.CountReadyAheadAsync(queue, priority, seq, cap, cancellationToken);

    public Task<IReadOnlyList<string>> GetKnownDepGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken) =>
        inner.GetKnownDepGroupsAsync(groups, cancellationToken);

    public Task<(IReadOnlyList<string> Groups, IReadOnlyList<string> Targets, long Unmet, string Note)?> GetDependenciesAsync(string key, CancellationToken cancellationToken) =>
        inner.GetDependenciesAsync(key, cancellationToken);

    public Task<(long Incomplete, long Buried)> GetTargetStateAsync(string target, CancellationToken cancellationToken) =>
        inner.GetTargetStateAsync(target, cancellationToken);

    public Task<IReadOnlyList<string>> GetWaitingDependentsAsync(string key, CancellationToken cancellationToken) =>
        inner.GetWaitingDependentsAsync(key, cancellationToken);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetTargetsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        inner.GetTargetsAsync(keys, cancellationToken);

    public Task<IReadOnlyList<string>> GetIncompleteMembersAsync(string group, CancellationToken cancellationToken) =>
        inner.GetIncompleteMembersAsync(group, cancellationToken);

    public Task<bool> AnyWaitingOnAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken) =>
        inner.AnyWaitingOnAsync(groups, cancellationToken);

    public Task SetLimitAsync(string name, int? limit, CancellationToken cancellationToken) => inner.SetLimitAsync(name, limit, cancellationToken);

    public Task<IReadOnlyList<LimitGroupInfo>> GetLimitsAsync(CancellationToken cancellationToken) => inner.GetLimitsAsync(cancellationToken);

    public Task<ReqGroupHistory> GetReqGroupHistoryAsync(string reqGroup, CancellationToken cancellationToken) => inner.GetReqGroupHistoryAsync(reqGroup, cancellationToken);

    public Task<string> GetOrAddSettingAsync(string name, string value, CancellationToken cancellationToken) => inner.GetOrAddSettingAsync(name, value, cancellationToken);

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) => inner.GetSettingAsync(name, cancellationToken);

    public Task SetSettingAsync(string name, string value, CancellationToken cancellationToken) => inner.SetSettingAsync(name, value, cancellationToken);
}
