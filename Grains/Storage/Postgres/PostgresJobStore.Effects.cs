using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>What a batch's changes do besides the rows themselves: counters, statistics, learning and queue names.</summary>
public sealed partial class PostgresJobStore
{
    private static async Task ApplyEffectsAsync(NpgsqlConnection connection, NpgsqlBatchCommand? fence, short shard, BatchEffects effects, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (fence is not null)
        {
            batch.BatchCommands.Add(fence);
        }

        AddEffects(batch, shard, effects);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the statements that apply <paramref name="effects"/> (counters, statistics, learning, queues) to <paramref name="batch"/>.</summary>
    private static void AddEffects(NpgsqlBatch batch, short shard, BatchEffects effects)
    {
        var counts = effects.Counts.ToList();
        if (counts.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                "INSERT INTO jq_counts (rep_group, state, exit_code, fail_reason, n, shard) " +
                "SELECT *, $6::smallint FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[]) " +
                "ON CONFLICT (rep_group, state, exit_code, fail_reason, shard) DO UPDATE SET n = jq_counts.n + excluded.n",
                counts.Select(c => c.Key.RepGroup).ToArray(),
                counts.Select(c => (long)c.Key.State).ToArray(),
                counts.Select(c => (long)c.Key.ExitCode).ToArray(),
                counts.Select(c => c.Key.FailReason).ToArray(),
                counts.Select(c => c.Value).ToArray(),
                shard));
        }

        var stats = effects.Stats.ToList();
        if (stats.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                "INSERT INTO jq_stats (rep_group, state, exit_code, fail_reason, n, ram_sum, ram_sq, wall_sum, wall_sq, cpu_sum, cpu_sq, shard) " +
                "SELECT *, $12::smallint FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[]) " +
                "ON CONFLICT (rep_group, state, exit_code, fail_reason, shard) DO UPDATE SET n = jq_stats.n + excluded.n, " +
                "ram_sum = jq_stats.ram_sum + excluded.ram_sum, ram_sq = jq_stats.ram_sq + excluded.ram_sq, " +
                "wall_sum = jq_stats.wall_sum + excluded.wall_sum, wall_sq = jq_stats.wall_sq + excluded.wall_sq, " +
                "cpu_sum = jq_stats.cpu_sum + excluded.cpu_sum, cpu_sq = jq_stats.cpu_sq + excluded.cpu_sq",
                stats.Select(c => c.Key.RepGroup).ToArray(),
                stats.Select(c => (long)c.Key.State).ToArray(),
                stats.Select(c => (long)c.Key.ExitCode).ToArray(),
                stats.Select(c => c.Key.FailReason).ToArray(),
                stats.Select(c => c.Value.N).ToArray(),
                stats.Select(c => c.Value.RamSum).ToArray(),
                stats.Select(c => c.Value.RamSquares).ToArray(),
                stats.Select(c => c.Value.WallSum).ToArray(),
                stats.Select(c => c.Value.WallSquares).ToArray(),
                stats.Select(c => c.Value.CpuSum).ToArray(),
                stats.Select(c => c.Value.CpuSquares).ToArray(),
                shard));
        }

        var statsHistogram = effects.StatsHistogram.ToList();
        if (statsHistogram.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                "INSERT INTO jq_stats_hist (rep_group, state, exit_code, fail_reason, kind, bucket, n, shard) " +
                "SELECT *, $8::smallint FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) " +
                "ON CONFLICT (rep_group, state, exit_code, fail_reason, kind, bucket, shard) DO UPDATE SET n = jq_stats_hist.n + excluded.n",
                statsHistogram.Select(h => h.Key.Key.RepGroup).ToArray(),
                statsHistogram.Select(h => (long)h.Key.Key.State).ToArray(),
                statsHistogram.Select(h => (long)h.Key.Key.ExitCode).ToArray(),
                statsHistogram.Select(h => h.Key.Key.FailReason).ToArray(),
                statsHistogram.Select(h => (long)h.Key.Kind).ToArray(),
                statsHistogram.Select(h => (long)h.Key.Bucket).ToArray(),
                statsHistogram.Select(h => h.Value).ToArray(),
                shard));
        }

        var histogram = effects.Histogram.ToList();
        if (histogram.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                "INSERT INTO jq_req_hist (req_group, kind, bucket, n) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) " +
                "ON CONFLICT (req_group, kind, bucket) DO UPDATE SET n = jq_req_hist.n + excluded.n",
                histogram.Select(h => h.Key.ReqGroup).ToArray(),
                histogram.Select(h => (long)h.Key.Kind).ToArray(),
                histogram.Select(h => (long)h.Key.Bucket).ToArray(),
                histogram.Select(h => h.Value).ToArray()));
        }

        var queues = effects.Queues.ToArray();
        if (queues.Length > 0)
        {
            batch.BatchCommands.Add(Statement("INSERT INTO jq_queues (name) SELECT * FROM unnest($1::text[]) ON CONFLICT (name) DO NOTHING", [queues]));
        }

    }
}
