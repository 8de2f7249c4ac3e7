using System.Data.Common;

namespace JobQueue.Grains.Storage.Dependencies;

/// <summary>
/// The dependency tables inside a store's open transaction, in SQL that SQLite and PostgreSQL both read: a group's
/// count of incomplete members (jq_dep_groups) and its members (jq_dep_members), each job's groups and unmet
/// dependencies (jq_job_deps), and who waits on what (jq_dep_waits).
/// </summary>
internal sealed class DependencyTables(DbConnection connection, DbTransaction? transaction)
{
    /// <summary>True if a job has dependencies or belongs to a dependency group, or another job waits on it: its end has to be looked into.</summary>
    public async Task<bool> InvolvedAsync(string key) =>
        await ScalarAsync(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM jq_job_deps WHERE key = @key) OR EXISTS (SELECT 1 FROM jq_dep_waits WHERE target = @target)",
            ("@key", key),
            ("@target", JobDependencies.JobTarget(key))).ConfigureAwait(false) is not null;

    /// <summary>Sets the state of a job just inserted in this transaction (its row is still at its first version).</summary>
    public Task SetStateAsync(JobRecord job, JobState state) =>
        ExecuteAsync("UPDATE jq_jobs SET state = @state WHERE key = @key AND seq = @seq", ("@state", (long)state), ("@key", job.Key), ("@seq", job.Seq));

    /// <summary>Records a job's groups, targets, unmet count and why it waits again (replacing what an earlier run of the same key left).</summary>
    public Task PutAsync(string key, IReadOnlyList<string> groups, IReadOnlyList<string> targets, long unmet, string note = "") => ExecuteAsync(
        "INSERT INTO jq_job_deps (key, dep_grps, targets, unmet, note) VALUES (@key, @groups, @targets, @unmet, @note) " +
        "ON CONFLICT (key) DO UPDATE SET dep_grps = excluded.dep_grps, targets = excluded.targets, unmet = excluded.unmet, note = excluded.note",
        ("@key", key),
        ("@groups", string.Join(',', groups)),
        ("@targets", string.Join('\n', targets)),
        ("@unmet", unmet),
        ("@note", note));

    /// <summary>The groups and targets recorded for <paramref name="key"/>, or null.</summary>
    public async Task<JobDeps?> DepsOfAsync(string key)
    {
        await using var cmd = Command("SELECT dep_grps, targets FROM jq_job_deps WHERE key = @key", ("@key", key));
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false)
            ? new JobDeps(reader.GetString(0).Split(',', StringSplitOptions.RemoveEmptyEntries), reader.GetString(1).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            : null;
    }

    /// <summary>
    /// Puts a completed job back in the queue as a new incomplete row of its last run's command and settings, in
    /// state <paramref name="state"/>; null if it has no run or is incomplete already.
    /// </summary>
    public async Task<JobRecord?> RequeueAsync(string key, JobState state)
    {
        if (await JobAsync($"SELECT {JobRows.SelectList(false)} FROM jq_history WHERE key = @key ORDER BY id DESC LIMIT 1", key).ConfigureAwait(false) is not { } run)
        {
            return null;
        }

        var job = run.WithoutRunResults() with
        {
            Version = 1,
            State = state,
            UntilBuried = run.Retries + 1,
            Pid = 0,
            Host = "",
            ReservedBy = null,
            KillRequested = false,
            DueAt = null,
            StartedAt = null,
            EndedAt = null,
        };
        var columns = JobRows.InsertColumns;
        await using var insert = Command(
            $"INSERT INTO jq_jobs ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))}) ON CONFLICT (key) DO NOTHING RETURNING seq",
            [.. columns.Select((c, i) => ($"@c{i}", JobRows.Value(job, c)))]);
        return await insert.ExecuteScalarAsync().ConfigureAwait(false) is long seq ? job with { Seq = seq } : null;
    }

    /// <summary>A new incomplete member of <paramref name="group"/>: true if the group had been done (it had members, none incomplete).</summary>
    public async Task<bool> JoinAsync(string group, string key)
    {
        await ExecuteAsync("INSERT INTO jq_dep_members (grp, key) VALUES (@grp, @key) ON CONFLICT (grp, key) DO NOTHING", ("@grp", group), ("@key", key)).ConfigureAwait(false);
        var before = await IncompleteAsync(group).ConfigureAwait(false);
        await ExecuteAsync(
            "INSERT INTO jq_dep_groups (grp, incomplete) VALUES (@grp, 1) ON CONFLICT (grp) DO UPDATE SET incomplete = jq_dep_groups.incomplete + 1",
            ("@grp", group)).ConfigureAwait(false);
        return before == 0;
    }

    /// <summary>A member of <paramref name="group"/> completed (or, <paramref name="removed"/>, left it): true if none is incomplete now.</summary>
    public async Task<bool> LeaveAsync(string group, string key, bool removed)
    {
        if (removed)
        {
            await ExecuteAsync("DELETE FROM jq_dep_members WHERE grp = @grp AND key = @key", ("@grp", group), ("@key", key)).ConfigureAwait(false);
        }

        await ExecuteAsync("UPDATE jq_dep_groups SET incomplete = incomplete - 1 WHERE grp = @grp AND incomplete > 0", ("@grp", group)).ConfigureAwait(false);
        return await IncompleteAsync(group).ConfigureAwait(false) == 0;
    }

    /// <summary>True if <paramref name="target"/> ("g:group" or "k:key") is not met yet.</summary>
    public async Task<bool> UnmetAsync(string target) => target[0] == 'g'
        ? await IncompleteAsync(target[2..]).ConfigureAwait(false) > 0
        : await ScalarAsync("SELECT 1 FROM jq_jobs WHERE key = @key", ("@key", target[2..])).ConfigureAwait(false) is not null;

    /// <summary>Records that <paramref name="dependent"/> waits on each of <paramref name="targets"/>.</summary>
    public async Task WaitAsync(string dependent, IEnumerable<string> targets)
    {
        foreach (var target in targets)
        {
            await ExecuteAsync(
                "INSERT INTO jq_dep_waits (target, dependent) VALUES (@target, @dependent) ON CONFLICT (target, dependent) DO NOTHING",
                ("@target", target),
                ("@dependent", dependent)).ConfigureAwait(false);
        }
    }

    /// <summary>The jobs that wait on <paramref name="target"/>, in key order.</summary>
    public Task<List<string>> WaitersAsync(string target) =>
        ListAsync("SELECT dependent FROM jq_dep_waits WHERE target = @target ORDER BY dependent", ("@target", target));

    /// <summary>Forgets what <paramref name="dependent"/> waited on (it waits anew, or was removed); with <paramref name="removed"/>, its record too.</summary>
    public async Task ForgetAsync(string dependent, bool removed)
    {
        await ExecuteAsync("DELETE FROM jq_dep_waits WHERE dependent = @key", ("@key", dependent)).ConfigureAwait(false);
        if (removed)
        {
            await ExecuteAsync("DELETE FROM jq_job_deps WHERE key = @key", ("@key", dependent)).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <paramref name="delta"/> to the unmet count of a job that is still dependent; its new count, or null if it is not dependent.</summary>
    public async Task<long?> AddUnmetAsync(string key, long delta) =>
        await ScalarAsync(
            $"UPDATE jq_job_deps SET unmet = unmet + @delta WHERE key = @key AND EXISTS (SELECT 1 FROM jq_jobs WHERE jq_jobs.key = @key AND jq_jobs.state = {(int)JobState.Dependent}) RETURNING unmet",
            ("@key", key),
            ("@delta", delta)).ConfigureAwait(false) as long?;

    /// <summary>Makes the dependent job <paramref name="key"/> ready (a new version of its row): its row before and after, or null if it was not dependent.</summary>
    public async Task<(JobRecord Before, JobRecord After)?> ReleaseAsync(string key)
    {
        if (await JobAsync($"SELECT {JobRows.SelectList(false)} FROM jq_jobs WHERE key = @key AND state = {(int)JobState.Dependent}", key).ConfigureAwait(false) is not { } before)
        {
            return null;
        }

        var after = before with { State = JobState.Ready, Version = before.Version + 1 };
        await ExecuteAsync(
            "UPDATE jq_jobs SET state = @state, version = @version WHERE key = @key AND seq = @seq AND version = @expected",
            ("@state", (long)after.State),
            ("@version", after.Version),
            ("@key", key),
            ("@seq", before.Seq),
            ("@expected", before.Version)).ConfigureAwait(false);
        return (before, after);
    }

    /// <summary>The count of incomplete members of <paramref name="group"/>, or null if it never had one.</summary>
    private async Task<long?> IncompleteAsync(string group) =>
        await ScalarAsync("SELECT incomplete FROM jq_dep_groups WHERE grp = @grp", ("@grp", group)).ConfigureAwait(false) as long?;

    /// <summary>The one job row <paramref name="sql"/> (selecting <see cref="JobRows.SelectList"/>, with @key) finds, or null.</summary>
    private async Task<JobRecord?> JobAsync(string sql, string key)
    {
        await using var cmd = Command(sql, ("@key", key));
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? JobRows.Read(reader) : null;
    }

    private DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            SqlJobStore.Bind(cmd, name, value);
        }

        return cmd;
    }

    private async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        var value = await cmd.ExecuteScalarAsync().ConfigureAwait(false);
        return value is DBNull ? null : value is int i ? (long)i : value;
    }

    private async Task<List<string>> ListAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        var values = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
