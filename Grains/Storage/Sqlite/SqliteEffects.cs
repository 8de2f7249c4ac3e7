using Microsoft.Data.Sqlite;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>Writes a batch's side effects (counters, statistics, histograms, queues) with prepared statements of the writer connection.</summary>
internal sealed class SqliteEffects : IDisposable
{
    private readonly SqliteCommand _upsertCount;
    private readonly SqliteCommand _upsertHistogram;
    private readonly SqliteCommand _upsertStats;
    private readonly SqliteCommand _upsertStatsHistogram;
    private readonly SqliteCommand _insertQueue;

    public SqliteEffects(SqliteConnection writer)
    {
        _upsertCount = Command(
            writer,
            "INSERT INTO jq_counts (rep_group, state, exit_code, fail_reason, n) VALUES (@rg, @state, @ec, @fr, @n) " +
            "ON CONFLICT (rep_group, state, exit_code, fail_reason) DO UPDATE SET n = jq_counts.n + excluded.n",
            "rg", "state", "ec", "fr", "n");
        _upsertHistogram = Command(
            writer,
            "INSERT INTO jq_req_hist (req_group, kind, bucket, n) VALUES (@rg, @kind, @bucket, @n) " +
            "ON CONFLICT (req_group, kind, bucket) DO UPDATE SET n = jq_req_hist.n + excluded.n",
            "rg", "kind", "bucket", "n");
        _upsertStats = Command(
            writer,
            "INSERT INTO jq_stats (rep_group, state, exit_code, fail_reason, n, ram_sum, ram_sq, wall_sum, wall_sq, cpu_sum, cpu_sq) " +
            "VALUES (@rg, @state, @ec, @fr, @n, @ram_sum, @ram_sq, @wall_sum, @wall_sq, @cpu_sum, @cpu_sq) " +
            "ON CONFLICT (rep_group, state, exit_code, fail_reason) DO UPDATE SET n = jq_stats.n + excluded.n, " +
            "ram_sum = jq_stats.ram_sum + excluded.ram_sum, ram_sq = jq_stats.ram_sq + excluded.ram_sq, " +
            "wall_sum = jq_stats.wall_sum + excluded.wall_sum, wall_sq = jq_stats.wall_sq + excluded.wall_sq, " +
            "cpu_sum = jq_stats.cpu_sum + excluded.cpu_sum, cpu_sq = jq_stats.cpu_sq + excluded.cpu_sq",
            "rg", "state", "ec", "fr", "n", "ram_sum", "ram_sq", "wall_sum", "wall_sq", "cpu_sum", "cpu_sq");
        _upsertStatsHistogram = Command(
            writer,
            "INSERT INTO jq_stats_hist (rep_group, state, exit_code, fail_reason, kind, bucket, n) VALUES (@rg, @state, @ec, @fr, @kind, @bucket, @n) " +
            "ON CONFLICT (rep_group, state, exit_code, fail_reason, kind, bucket) DO UPDATE SET n = jq_stats_hist.n + excluded.n",
            "rg", "state", "ec", "fr", "kind", "bucket", "n");
        _insertQueue = Command(writer, "INSERT INTO jq_queues (name) VALUES (@name) ON CONFLICT (name) DO NOTHING", "name");
    }

    /// <summary>Creates a prepared command with these parameters (names without "@").</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter("@" + name, null));
        }

        return cmd;
    }

    /// <summary>Applies the effects inside <paramref name="transaction"/>.</summary>
    public void Apply(SqliteTransaction transaction, BatchEffects effects)
    {
        var counts = _upsertCount;
        counts.Transaction = transaction;
        foreach (var (key, delta) in effects.Counts)
        {
            BindKey(counts, key);
            counts.Parameters["@n"].Value = delta;
            counts.ExecuteNonQuery();
        }

        var stats = _upsertStats;
        stats.Transaction = transaction;
        foreach (var (key, totals) in effects.Stats)
        {
            BindKey(stats, key);
            stats.Parameters["@n"].Value = totals.N;
            stats.Parameters["@ram_sum"].Value = totals.RamSum;
            stats.Parameters["@ram_sq"].Value = totals.RamSquares;
            stats.Parameters["@wall_sum"].Value = totals.WallSum;
            stats.Parameters["@wall_sq"].Value = totals.WallSquares;
            stats.Parameters["@cpu_sum"].Value = totals.CpuSum;
            stats.Parameters["@cpu_sq"].Value = totals.CpuSquares;
            stats.ExecuteNonQuery();
        }

        var statsHistogram = _upsertStatsHistogram;
        statsHistogram.Transaction = transaction;
        foreach (var (bucket, delta) in effects.StatsHistogram)
        {
            BindKey(statsHistogram, bucket.Key);
            statsHistogram.Parameters["@kind"].Value = (long)bucket.Kind;
            statsHistogram.Parameters["@bucket"].Value = (long)bucket.Bucket;
            statsHistogram.Parameters["@n"].Value = delta;
            statsHistogram.ExecuteNonQuery();
        }

        var histogram = _upsertHistogram;
        histogram.Transaction = transaction;
        foreach (var (key, delta) in effects.Histogram)
        {
            histogram.Parameters["@rg"].Value = key.ReqGroup;
            histogram.Parameters["@kind"].Value = (long)key.Kind;
            histogram.Parameters["@bucket"].Value = (long)key.Bucket;
            histogram.Parameters["@n"].Value = delta;
            histogram.ExecuteNonQuery();
        }

        var queues = _insertQueue;
        queues.Transaction = transaction;
        foreach (var queue in effects.Queues)
        {
            queues.Parameters["@name"].Value = queue;
            queues.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var cmd in new[] { _upsertCount, _upsertHistogram, _upsertStats, _upsertStatsHistogram, _insertQueue })
        {
            cmd.Dispose();
        }
    }

    private static void BindKey(SqliteCommand cmd, CountKey key)
    {
        cmd.Parameters["@rg"].Value = key.RepGroup;
        cmd.Parameters["@state"].Value = (long)key.State;
        cmd.Parameters["@ec"].Value = (long)key.ExitCode;
        cmd.Parameters["@fr"].Value = key.FailReason;
    }
}
