namespace JobQueue.Grains.Storage;

/// <summary>Paged listings and statistics of the shared read side.</summary>
public abstract partial class SqlJobStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<(JobRecord Job, JobCursor Cursor)>> GetPageAsync(JobFilter filter, JobCursor? after, int limit, bool withOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var result = new List<(JobRecord, JobCursor)>();
        var wantsIncomplete = filter.State != JobState.Complete && after?.State != JobState.Complete;
        if (wantsIncomplete)
        {
            result.AddRange(await PageAsync("jq_jobs", "seq", filter, after, limit, withOutput, cancellationToken).ConfigureAwait(false));
        }

        // A rep group's listing goes on into its complete runs; "all incomplete" has none.
        if (result.Count < limit && filter.RepGroup is not null && filter.State is null or JobState.Complete)
        {
            var from = after?.State == JobState.Complete ? after : null;
            result.AddRange(await PageAsync("jq_history", "id", filter, from, limit - result.Count, withOutput, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<StatsRow> Rows, IReadOnlyList<StatsBucket> Buckets)> GetStatsAsync(string repGroup, CancellationToken cancellationToken)
    {
        static CountKey Key(System.Data.Common.DbDataReader r) =>
            new(r.GetString(0), (JobState)r.GetInt64(1), (int)r.GetInt64(2), r.GetString(3));

        var rows = await QueryAsync(
            $"SELECT rep_group, state, exit_code, fail_reason, n, ram_sum, ram_sq, wall_sum, wall_sq, cpu_sum, cpu_sq FROM {StatsTable} WHERE rep_group = @rg AND n > 0",
            r => new StatsRow(Key(r), new RunTotals(r.GetInt64(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetDouble(8), r.GetDouble(9), r.GetDouble(10))),
            cancellationToken,
            ("@rg", repGroup)).ConfigureAwait(false);
        var buckets = await QueryAsync(
            $"SELECT rep_group, state, exit_code, fail_reason, kind, bucket, n FROM {StatsHistTable} WHERE rep_group = @rg AND n > 0",
            r => new StatsBucket(Key(r), (int)r.GetInt64(4), (int)r.GetInt64(5), r.GetInt64(6)),
            cancellationToken,
            ("@rg", repGroup)).ConfigureAwait(false);
        return (rows, buckets);
    }

    private async Task<IReadOnlyList<(JobRecord, JobCursor)>> PageAsync(
        string table, string position, JobFilter filter, JobCursor? after, int limit, bool withOutput, CancellationToken cancellationToken)
    {
        var history = table == "jq_history";
        var filters = new List<string>();
        var parameters = new List<(string, object?)>();
        void Where(string sql, string name, object? value)
        {
            filters.Add(sql);
            parameters.Add((name, value));
        }

        if (filter.RepGroup is not null)
        {
            Where("rep_group = @rg", "@rg", filter.RepGroup);
        }

        if (filter.State is { } state && !history)
        {
            Where("state = @state", "@state", (long)state);
        }

        if (filter.ExitCode is { } exitCode)
        {
            // Jobs that never exited are stored with exit code -1 (CountKey.NotExited).
            Where("exit_code = @ec", "@ec", (long)exitCode);
        }

        if (filter.FailReason is not null)
        {
            Where("fail_reason = @fr", "@fr", filter.FailReason);
        }

        // The seek follows the index's own order, so each page starts where the last ended.
        var order = history ? $"exit_code, fail_reason, {position}" : $"state, exit_code, fail_reason, {position}";
        if (after is not null)
        {
            filters.Add(history
                ? $"(exit_code, fail_reason, {position}) > (@after_ec, @after_fr, @after_pos)"
                : $"(state, exit_code, fail_reason, {position}) > (@after_state, @after_ec, @after_fr, @after_pos)");
            parameters.Add(("@after_state", (long)after.State));
            parameters.Add(("@after_ec", (long)after.ExitCode));
            parameters.Add(("@after_fr", after.FailReason));
            parameters.Add(("@after_pos", after.Position));
        }

        parameters.Add(("@limit", (long)limit));
        var keys = filter.Keys is { Count: > 0 } wanted ? wanted : null;
        var select = $"SELECT {JobRows.SelectList(withOutput)}, {position} FROM {table}";
        string Sql(string? keyFilter)
        {
            var all = keyFilter is null ? filters : [.. filters, keyFilter];
            var where = all.Count == 0 ? "" : " WHERE " + string.Join(" AND ", all);
            return $"{select}{where} ORDER BY {order} LIMIT @limit";
        }

        (JobRecord, JobCursor) Read(System.Data.Common.DbDataReader r)
        {
            var job = JobRows.Read(r);
            var cursor = new JobCursor(history ? JobState.Complete : job.State, job.CountKey.ExitCode, job.FailReason, r.GetInt64(JobRows.Count));
            return (job, cursor);
        }

        return await QueryAsync(cmd => Sql(keys is null ? null : KeyFilter(cmd, keys)), Read, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }
}
