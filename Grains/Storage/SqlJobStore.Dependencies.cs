namespace JobQueue.Grains.Storage;

/// <summary>Reads of the dependency tables: for checking adds and removals, and for saying why a job waits.</summary>
public abstract partial class SqlJobStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetKnownDepGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken)
    {
        var known = new List<string>();
        foreach (var group in groups)
        {
            // Members that completed stay members; removed ones do not.
            var rows = await QueryAsync("SELECT grp FROM jq_dep_members WHERE grp = @grp LIMIT 1", r => r.GetString(0), cancellationToken, ("@grp", group)).ConfigureAwait(false);
            known.AddRange(rows);
        }

        return known;
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<string> Groups, IReadOnlyList<string> Targets, long Unmet, string Note)?> GetDependenciesAsync(string key, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT dep_grps, targets, unmet, note FROM jq_job_deps WHERE key = @key",
            r => (Groups: r.GetString(0), Targets: r.GetString(1), Unmet: r.GetInt64(2), Note: r.GetString(3)),
            cancellationToken,
            ("@key", key)).ConfigureAwait(false);
        return rows.Count == 0
            ? null
            : (rows[0].Groups.Split(',', StringSplitOptions.RemoveEmptyEntries), rows[0].Targets.Split('\n', StringSplitOptions.RemoveEmptyEntries), rows[0].Unmet, rows[0].Note);
    }

    /// <inheritdoc />
    public async Task<(long Incomplete, long Buried)> GetTargetStateAsync(string target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        var name = target[2..];
        var rows = await QueryAsync(
            target[0] == 'g'
                ? "SELECT COUNT(*), COALESCE(SUM(CASE WHEN j.state = @buried THEN 1 ELSE 0 END), 0) FROM jq_dep_members m JOIN jq_jobs j ON j.key = m.key WHERE m.grp = @name"
                : "SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = @buried THEN 1 ELSE 0 END), 0) FROM jq_jobs WHERE key = @name",
            r => (r.GetInt64(0), r.GetInt64(1)),
            cancellationToken,
            ("@name", name),
            ("@buried", (long)JobState.Buried)).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetWaitingDependentsAsync(string key, CancellationToken cancellationToken)
    {
        var targets = new List<string> { JobDependencies.JobTarget(key) };
        if (await GetDependenciesAsync(key, cancellationToken).ConfigureAwait(false) is { } own)
        {
            targets.AddRange(own.Groups.Select(JobDependencies.GroupTarget));
        }

        var waiting = new List<string>();
        foreach (var target in targets)
        {
            waiting.AddRange(await QueryAsync(
                $"SELECT w.dependent FROM jq_dep_waits w JOIN jq_jobs j ON j.key = w.dependent WHERE w.target = @target AND j.state = {(int)JobState.Dependent}",
                r => r.GetString(0),
                cancellationToken,
                ("@target", target)).ConfigureAwait(false));
        }

        return [.. waiting.Distinct(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetTargetsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var targets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            // A completed job waits on nothing: its row has left jq_jobs.
            var rows = await QueryAsync(
                cmd => $"SELECT key, targets FROM jq_job_deps WHERE {KeyFilter(cmd, chunk)} AND EXISTS (SELECT 1 FROM jq_jobs j WHERE j.key = jq_job_deps.key)",
                r => (Key: r.GetString(0), Targets: r.GetString(1)),
                cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                targets[row.Key] = row.Targets.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return targets;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetIncompleteMembersAsync(string group, CancellationToken cancellationToken) =>
        QueryAsync("SELECT m.key FROM jq_dep_members m JOIN jq_jobs j ON j.key = m.key WHERE m.grp = @grp", r => r.GetString(0), cancellationToken, ("@grp", group));

    /// <inheritdoc />
    public async Task<bool> AnyWaitingOnAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var group in groups)
        {
            var rows = await QueryAsync(
                $"SELECT 1 FROM jq_dep_waits w JOIN jq_jobs j ON j.key = w.dependent WHERE w.target = @target AND j.state = {(int)JobState.Dependent} LIMIT 1",
                r => r.GetInt64(0),
                cancellationToken,
                ("@target", JobDependencies.GroupTarget(group))).ConfigureAwait(false);
            if (rows.Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
