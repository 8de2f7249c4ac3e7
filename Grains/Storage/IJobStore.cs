namespace JobQueue.Grains.Storage;

/// <summary>
/// The durable store behind the queue. Writes arrive in batches from <see cref="StoreWriter"/> and each batch is
/// one transaction; reads serve the queue's hot paths and are all index lookups bounded by their limits.
/// </summary>
public interface IJobStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string ProviderName { get; }

    /// <summary>Creates or upgrades the schema, idempotently.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Applies a batch of writes in one transaction; one outcome per write, in order.</summary>
    Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken);

    /// <summary>The incomplete job with this key, or null.</summary>
    Task<JobRecord?> GetJobAsync(string key, CancellationToken cancellationToken);

    /// <summary>The ready jobs of a queue, best first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ReadyEntry>> GetReadyAsync(string queue, int limit, CancellationToken cancellationToken);

    /// <summary>How many jobs are ready in a queue, counting at most <paramref name="cap"/> (the count is bounded work).</summary>
    Task<int> CountReadyAsync(string queue, int cap, CancellationToken cancellationToken);

    /// <summary>How many ready jobs of a queue rank before one of <paramref name="priority"/> added as <paramref name="seq"/>, counting at most <paramref name="cap"/>.</summary>
    Task<int> CountReadyAheadAsync(string queue, int priority, long seq, int cap, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the scheduler groups that have no ready job, so that work per group (scheduler polls, reserves from any
    /// group) does not grow with every group ever seen. A group comes back with the next committed change of one of
    /// its jobs. Returns how many were forgotten.
    /// </summary>
    Task<int> PruneQueuesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Jobs whose delay or lease ended at or before <paramref name="now"/>, soonest first (then in add order), after
    /// <paramref name="after"/> in that order when given: a keyset page of the due index.
    /// </summary>
    Task<IReadOnlyList<DueJob>> GetDueAsync(DateTimeOffset now, DueJob? after, int limit, CancellationToken cancellationToken);

    /// <summary>A stored environment, compressed, or null.</summary>
    Task<byte[]?> GetEnvAsync(string envKey, CancellationToken cancellationToken);

    /// <summary>Every scheduler group that ever had a job.</summary>
    Task<IReadOnlyList<string>> GetQueuesAsync(CancellationToken cancellationToken);

    /// <summary>The memory and time histograms of a req group's completed runs.</summary>
    Task<ReqGroupHistory> GetReqGroupHistoryAsync(string reqGroup, CancellationToken cancellationToken);

    /// <summary>
    /// The stored setting <paramref name="name"/>; if there is none yet, stores <paramref name="value"/> and returns it.
    /// Every manager of a cluster gets the same answer (the first to store wins).
    /// </summary>
    Task<string> GetOrAddSettingAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>The stored setting <paramref name="name"/>, or null.</summary>
    Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> as the setting <paramref name="name"/>, committed before it returns.</summary>
    Task SetSettingAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Sets the limit of a limit group (null: no limit), committed before it returns. Its held slots are kept.</summary>
    Task SetLimitAsync(string name, int? limit, CancellationToken cancellationToken);

    /// <summary>The limit groups that have a limit or hold slots, by name.</summary>
    Task<IReadOnlyList<LimitGroupInfo>> GetLimitsAsync(CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="groups"/> are dependency groups with members (incomplete or completed; removed ones do not count).</summary>
    Task<IReadOnlyList<string>> GetKnownDepGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken);

    /// <summary>A job's dependencies: its groups, what it waits on ("g:group", "k:key"), how many of those are unmet, and why it runs again if it does; null if it has none.</summary>
    Task<(IReadOnlyList<string> Groups, IReadOnlyList<string> Targets, long Unmet, string Note)?> GetDependenciesAsync(string key, CancellationToken cancellationToken);

    /// <summary>How many of <paramref name="target"/>'s members (a "g:group" or "k:key" target) are incomplete, and how many of those are buried.</summary>
    Task<(long Incomplete, long Buried)> GetTargetStateAsync(string target, CancellationToken cancellationToken);

    /// <summary>The dependent jobs (still waiting) that wait on the job <paramref name="key"/> or on a group it belongs to.</summary>
    Task<IReadOnlyList<string>> GetWaitingDependentsAsync(string key, CancellationToken cancellationToken);

    /// <summary>What each of the incomplete jobs <paramref name="keys"/> that have dependencies waits on ("g:group", "k:key"), by key.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetTargetsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>The incomplete members of the dependency group <paramref name="group"/>.</summary>
    Task<IReadOnlyList<string>> GetIncompleteMembersAsync(string group, CancellationToken cancellationToken);

    /// <summary>True if a dependent job waits on any of the dependency groups <paramref name="groups"/>.</summary>
    Task<bool> AnyWaitingOnAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken);

    /// <summary>Read-only queries for status reporting.</summary>
    IJobMonitor Monitor { get; }
}
