using System.Data.Common;

namespace JobQueue.Grains.Storage;

/// <summary>
/// The read side shared by the SQL stores: the same tables, indexes and queries on SQLite and PostgreSQL.
/// Subclasses supply connections, schema creation and the batched write path.
/// </summary>
public abstract partial class SqlJobStore : IJobStore, IJobMonitor
{
    /// <inheritdoc />
    public abstract string ProviderName { get; }

    /// <inheritdoc />
    public IJobMonitor Monitor => this;

    /// <inheritdoc />
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>The counters, one row per count group (a subclass that keeps them in shards sums them here).</summary>
    protected virtual string CountsTable => "jq_counts";

    /// <summary>The run statistics, one row per count group.</summary>
    protected virtual string StatsTable => "jq_stats";

    /// <summary>The run statistics' histogram buckets, one row per count group, kind and bucket.</summary>
    protected virtual string StatsHistTable => "jq_stats_hist";

    /// <inheritdoc />
    public abstract Task<string> GetOrAddSettingAsync(string name, string value, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<int> PruneQueuesAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task SetSettingAsync(string name, string value, CancellationToken cancellationToken);

    /// <inheritdoc />
    public async Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT value FROM jq_meta WHERE name = @name", r => r.GetString(0), cancellationToken, ("@name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<JobRecord?> GetJobAsync(string key, CancellationToken cancellationToken)
    {
        var rows = await QueryJobsAsync($"SELECT {JobRows.SelectList(true)} FROM jq_jobs WHERE key = @key", cancellationToken, ("@key", key)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReadyEntry>> GetReadyAsync(string queue, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT key, priority, seq FROM jq_jobs WHERE queue = @queue AND state = 1 ORDER BY priority DESC, seq LIMIT @limit",
            r => new ReadyEntry(r.GetString(0), (int)r.GetInt64(1), r.GetInt64(2)),
            cancellationToken,
            ("@queue", queue),
            ("@limit", (long)limit));

    /// <inheritdoc />
    public async Task<int> CountReadyAsync(string queue, int cap, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT COUNT(*) FROM (SELECT 1 FROM jq_jobs WHERE queue = @queue AND state = 1 LIMIT @cap) AS capped",
            r => r.GetInt64(0),
            cancellationToken,
            ("@queue", queue),
            ("@cap", (long)cap)).ConfigureAwait(false);
        return (int)rows[0];
    }

    /// <inheritdoc />
    public async Task<int> CountReadyAheadAsync(string queue, int priority, long seq, int cap, CancellationToken cancellationToken)
    {
        // A range of the ready index, in its order: bounded by the cap, whatever the queue's length.
        var rows = await QueryAsync(
            "SELECT COUNT(*) FROM (SELECT 1 FROM jq_jobs WHERE queue = @queue AND state = 1 " +
            "AND (priority > @priority OR (priority = @priority AND seq < @seq)) ORDER BY priority DESC, seq LIMIT @cap) AS ahead",
            r => r.GetInt64(0),
            cancellationToken,
            ("@queue", queue),
            ("@priority", (long)priority),
            ("@seq", seq),
            ("@cap", (long)cap)).ConfigureAwait(false);
        return (int)rows[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DueJob>> GetDueAsync(DateTimeOffset now, DueJob? after, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT key, due_at, seq FROM jq_jobs WHERE due_at IS NOT NULL AND due_at <= @now AND (due_at, seq) > (@after_due, @after_seq) " +
            "ORDER BY due_at, seq LIMIT @limit",
            r => new DueJob(r.GetString(0), r.GetInt64(1), r.GetInt64(2)),
            cancellationToken,
            ("@now", now.ToUnixTimeMilliseconds()),
            ("@after_due", after?.DueAt ?? long.MinValue),
            ("@after_seq", after?.Seq ?? long.MinValue),
            ("@limit", (long)limit));

    /// <inheritdoc />
    public async Task<byte[]?> GetEnvAsync(string envKey, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT data FROM jq_envs WHERE env_key = @key", r => (byte[])r.GetValue(0), cancellationToken, ("@key", envKey)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetQueuesAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT name FROM jq_queues ORDER BY name", r => r.GetString(0), cancellationToken);

    /// <inheritdoc />
    public async Task<ReqGroupHistory> GetReqGroupHistoryAsync(string reqGroup, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT kind, bucket, n FROM jq_req_hist WHERE req_group = @group AND n > 0 ORDER BY kind, bucket",
            r => (Kind: r.GetInt64(0), Bucket: new HistogramBucket((int)r.GetInt64(1), r.GetInt64(2))),
            cancellationToken,
            ("@group", reqGroup)).ConfigureAwait(false);
        return new ReqGroupHistory(
            [.. rows.Where(r => r.Kind == BatchEffects.RamKind).Select(r => r.Bucket)],
            [.. rows.Where(r => r.Kind == BatchEffects.TimeKind).Select(r => r.Bucket)]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> GetJobsAsync(IReadOnlyList<string> keys, bool withOutput, CancellationToken cancellationToken) =>
        QueryByKeysAsync(keys, k => $"SELECT {JobRows.SelectList(withOutput)} FROM jq_jobs WHERE {k} ORDER BY seq", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> GetLatestRunsAsync(IReadOnlyList<string> keys, bool withOutput, CancellationToken cancellationToken) =>
        QueryByKeysAsync(
            keys,
            k => $"SELECT {JobRows.SelectList(withOutput)} FROM jq_history WHERE id IN (SELECT MAX(id) FROM jq_history WHERE {k} GROUP BY key) ORDER BY id",
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> GetRunsAsync(string key, bool withOutput, CancellationToken cancellationToken) =>
        QueryJobsAsync($"SELECT {JobRows.SelectList(withOutput)} FROM jq_history WHERE key = @key ORDER BY id", cancellationToken, ("@key", key));

    /// <inheritdoc />
    public Task<IReadOnlyList<CountRow>> GetCountsAsync(string? repGroup, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT rep_group, state, exit_code, fail_reason, n FROM {CountsTable} WHERE n <> 0" + (repGroup is null ? "" : " AND rep_group = @rg"),
            r => new CountRow(new CountKey(r.GetString(0), (JobState)r.GetInt64(1), (int)r.GetInt64(2), r.GetString(3)), r.GetInt64(4)),
            cancellationToken,
            ("@rg", repGroup));

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> GetGroupAsync(string? repGroup, CountKey group, int limit, bool withOutput, CancellationToken cancellationToken)
    {
        var (table, order) = group.State == JobState.Complete ? ("jq_history", "id") : ("jq_jobs", "seq");
        var stateFilter = group.State == JobState.Complete ? "" : "state = @state AND ";
        var repFilter = repGroup is null ? "" : "rep_group = @rg AND ";
        return QueryJobsAsync(
            $"SELECT {JobRows.SelectList(withOutput)} FROM {table} WHERE {repFilter}{stateFilter}exit_code = @ec AND fail_reason = @fr ORDER BY {order} LIMIT @limit",
            cancellationToken,
            ("@rg", repGroup),
            ("@state", (long)group.State),
            ("@ec", (long)group.ExitCode),
            ("@fr", group.FailReason),
            ("@limit", (long)limit));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRecord>> GetAllAsync(string? repGroup, JobState? state, bool withOutput, CancellationToken cancellationToken)
    {
        var result = new List<JobRecord>();
        if (state != JobState.Complete)
        {
            var filters = new List<string>();
            if (repGroup is not null)
            {
                filters.Add("rep_group = @rg");
            }

            if (state is not null)
            {
                filters.Add("state = @state");
            }

            var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters);
            result.AddRange(await QueryJobsAsync(
                $"SELECT {JobRows.SelectList(withOutput)} FROM jq_jobs {where} ORDER BY seq",
                cancellationToken,
                ("@rg", repGroup),
                ("@state", (long?)state)).ConfigureAwait(false));
        }

        if (repGroup is not null && state is null or JobState.Complete)
        {
            result.AddRange(await QueryJobsAsync(
                $"SELECT {JobRows.SelectList(withOutput)} FROM jq_history WHERE rep_group = @rg ORDER BY id",
                cancellationToken,
                ("@rg", repGroup)).ConfigureAwait(false));
        }

        return result;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetReservedUnderAsync(string lease, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT key FROM jq_jobs WHERE (state = 2 OR (state = 3 AND pid = 0)) AND reserved_by = @lease LIMIT 2",
            r => r.GetString(0),
            cancellationToken,
            ("@lease", lease));

    /// <inheritdoc />
    public Task<IReadOnlyList<RunningJob>> GetRunningAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT key, queue, started_at, time_ms FROM jq_jobs WHERE state IN (2, 3)",
            r => new RunningJob(
                r.GetString(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                TimeSpan.FromMilliseconds(r.GetInt64(3))),
            cancellationToken);

    /// <summary>Removes the scheduler groups that have no ready job (an index seek each).</summary>
    protected static readonly string PruneQueuesSql =
        $"DELETE FROM jq_queues WHERE NOT EXISTS (SELECT 1 FROM jq_jobs WHERE jq_jobs.state = {(int)JobState.Ready} AND jq_jobs.queue = jq_queues.name)";

    /// <summary>Opens a connection for reading.</summary>
    protected abstract Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Adds a filter "key is one of <paramref name="keys"/>" to <paramref name="cmd"/> and returns its SQL.</summary>
    protected abstract string KeyFilter(DbCommand cmd, IReadOnlyList<string> keys);

    /// <summary>Binds a parameter, mapping null to DBNull.</summary>
    protected internal static void Bind(DbCommand cmd, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(parameter);
    }

    /// <summary>Runs a query and maps its rows.</summary>
    protected Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(_ => sql, map, cancellationToken, parameters);

    /// <summary>Runs a query whose SQL is made for its command (which may bind parameters of its own, as a key filter does) and maps its rows.</summary>
    protected Task<IReadOnlyList<T>> QueryAsync<T>(Func<DbCommand, string> sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(map);
        return ReadOnIoAsync(() => QueryNowAsync(sql, map, cancellationToken, parameters));
    }

    /// <summary>Where a read runs: on the caller's thread unless the store has threads for it.</summary>
    protected virtual Task<T> ReadOnIoAsync<T>(Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read();
    }

    private async Task<IReadOnlyList<T>> QueryNowAsync<T>(Func<DbCommand, string> sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql(cmd);
        foreach (var (name, value) in parameters)
        {
            if (cmd.CommandText.Contains(name, StringComparison.Ordinal))
            {
                Bind(cmd, name, value);
            }
        }

        return await ReadAllAsync(cmd, map, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand cmd, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(map(reader));
        }

        return result;
    }

    private Task<IReadOnlyList<JobRecord>> QueryJobsAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(sql, JobRows.Read, cancellationToken, parameters);

    private async Task<IReadOnlyList<JobRecord>> QueryByKeysAsync(IReadOnlyList<string> keys, Func<string, string> sql, CancellationToken cancellationToken)
    {
        var result = new List<JobRecord>();
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            result.AddRange(await QueryAsync(cmd => sql(KeyFilter(cmd, chunk)), JobRows.Read, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }
}
