namespace JobQueue.Grains.Storage;

/// <summary>Limit groups: their limits and held slots (the slots themselves move with the job changes of a batch).</summary>
public abstract partial class SqlJobStore
{
    /// <summary>Sets a group's limit (@lim; -1 for none), keeping the slots it holds.</summary>
    protected const string SetLimitSql =
        "INSERT INTO jq_limits (name, lim, used) VALUES (@name, @lim, 0) ON CONFLICT (name) DO UPDATE SET lim = excluded.lim";

    /// <inheritdoc />
    public abstract Task SetLimitAsync(string name, int? limit, CancellationToken cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LimitGroupInfo>> GetLimitsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT name, lim, used FROM jq_limits WHERE lim >= 0 OR used > 0 ORDER BY name",
            r => new LimitGroupInfo(r.GetString(0), r.GetInt64(1) < 0 ? null : (int)r.GetInt64(1), (int)r.GetInt64(2)),
            cancellationToken);
}
