namespace JobQueue.Grains.Storage.Postgres;

/// <summary>
/// Counters and run statistics kept per manager (a shard of each row), summed on read: two managers' batches never
/// update the same counter row, so neither waits for the other's transaction.
/// </summary>
public sealed partial class PostgresJobStore
{
    /// <summary>How many shards a counter row may be split into.</summary>
    public const int Shards = 64;

    /// <summary>This store's shard (0 until <see cref="ShardBy"/>).</summary>
    public short Shard { get; private set; }

    /// <inheritdoc />
    protected override string CountsTable =>
        "(SELECT rep_group, state, exit_code, fail_reason, CAST(SUM(n) AS BIGINT) AS n FROM jq_counts " +
        "GROUP BY rep_group, state, exit_code, fail_reason) AS counts";

    /// <inheritdoc />
    protected override string StatsTable =>
        "(SELECT rep_group, state, exit_code, fail_reason, CAST(SUM(n) AS BIGINT) AS n, SUM(ram_sum) AS ram_sum, SUM(ram_sq) AS ram_sq, " +
        "SUM(wall_sum) AS wall_sum, SUM(wall_sq) AS wall_sq, SUM(cpu_sum) AS cpu_sum, SUM(cpu_sq) AS cpu_sq FROM jq_stats " +
        "GROUP BY rep_group, state, exit_code, fail_reason) AS stats";

    /// <inheritdoc />
    protected override string StatsHistTable =>
        "(SELECT rep_group, state, exit_code, fail_reason, kind, bucket, CAST(SUM(n) AS BIGINT) AS n FROM jq_stats_hist " +
        "GROUP BY rep_group, state, exit_code, fail_reason, kind, bucket) AS hist";

    /// <summary>Keeps this manager's counter changes in a shard of its own, chosen by a stable hash of its address.</summary>
    public void ShardBy(string manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var hash = 2166136261u;
        foreach (var c in manager)
        {
            hash = (hash ^ c) * 16777619u;
        }

        Shard = (short)(hash % Shards);
    }
}
