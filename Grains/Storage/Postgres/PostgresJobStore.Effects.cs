using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>What a batch's changes do besides the rows themselves: counters, statistics, learning and queue names.</summary>
public sealed partial class PostgresJobStore
{
    /// <summary>
    /// All of a batch's effects, and its checks, as one statement instead of up to seven: each table's upsert is a
    /// data-modifying WITH clause (which PostgreSQL runs once, whether read or not; an empty array upserts nothing), and
    /// the checks (the schema's raising functions) are the final SELECT, each run only when it has something to check.
    /// </summary>
    private static readonly string EffectsSql =
        "WITH counts AS (INSERT INTO jq_counts (rep_group, state, exit_code, fail_reason, n, shard) " +
        "SELECT *, $29::smallint FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[]) " +
        "ON CONFLICT (rep_group, state, exit_code, fail_reason, shard) DO UPDATE SET n = jq_counts.n + excluded.n), " +
        "stats AS (INSERT INTO jq_stats (rep_group, state, exit_code, fail_reason, n, ram_sum, ram_sq, wall_sum, wall_sq, cpu_sum, cpu_sq, shard) " +
        "SELECT *, $29::smallint FROM unnest($6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[]) " +
        "ON CONFLICT (rep_group, state, exit_code, fail_reason, shard) DO UPDATE SET n = jq_stats.n + excluded.n, " +
        "ram_sum = jq_stats.ram_sum + excluded.ram_sum, ram_sq = jq_stats.ram_sq + excluded.ram_sq, " +
        "wall_sum = jq_stats.wall_sum + excluded.wall_sum, wall_sq = jq_stats.wall_sq + excluded.wall_sq, " +
        "cpu_sum = jq_stats.cpu_sum + excluded.cpu_sum, cpu_sq = jq_stats.cpu_sq + excluded.cpu_sq), " +
        "hist AS (INSERT INTO jq_stats_hist (rep_group, state, exit_code, fail_reason, kind, bucket, n, shard) " +
        "SELECT *, $29::smallint FROM unnest($17::text[], $18::bigint[], $19::bigint[], $20::text[], $21::bigint[], $22::bigint[], $23::bigint[]) " +
        "ON CONFLICT (rep_group, state, exit_code, fail_reason, kind, bucket, shard) DO UPDATE SET n = jq_stats_hist.n + excluded.n), " +
        "req AS (INSERT INTO jq_req_hist (req_group, kind, bucket, n) SELECT * FROM unnest($24::text[], $25::bigint[], $26::bigint[], $27::bigint[]) " +
        "ON CONFLICT (req_group, kind, bucket) DO UPDATE SET n = jq_req_hist.n + excluded.n), " +
        "queues AS (INSERT INTO jq_queues (name) SELECT * FROM unnest($28::text[]) ON CONFLICT (name) DO NOTHING) " +
        "SELECT jq_fence($30::text, $31::text, $32::integer, $33::integer) WHERE $30::text IS NOT NULL " +
        "UNION ALL SELECT jq_expect_no_dependents($34::text[]) WHERE cardinality($34::text[]) > 0";

    private static async Task ApplyEffectsAsync(NpgsqlConnection connection, (string Cluster, string Address, int Port, int Generation)? fence, short shard, BatchEffects effects, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(EffectsStatement(shard, effects, fence, []));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The statement that applies <paramref name="effects"/> (counters, statistics, learning, queues), refused whole if
    /// this manager was declared dead (<paramref name="fence"/>) or a job in <paramref name="finishing"/> has dependents.
    /// </summary>
    private static NpgsqlBatchCommand EffectsStatement(short shard, BatchEffects effects, (string Cluster, string Address, int Port, int Generation)? fence, string[] finishing)
    {
        var counts = effects.Counts.ToList();
        var stats = effects.Stats.ToList();
        var statsHistogram = effects.StatsHistogram.ToList();
        var histogram = effects.Histogram.ToList();
        return Statement(
            EffectsSql,
            counts.Select(c => c.Key.RepGroup).ToArray(),
            counts.Select(c => (long)c.Key.State).ToArray(),
            counts.Select(c => (long)c.Key.ExitCode).ToArray(),
            counts.Select(c => c.Key.FailReason).ToArray(),
            counts.Select(c => c.Value).ToArray(),
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
            statsHistogram.Select(h => h.Key.Key.RepGroup).ToArray(),
            statsHistogram.Select(h => (long)h.Key.Key.State).ToArray(),
            statsHistogram.Select(h => (long)h.Key.Key.ExitCode).ToArray(),
            statsHistogram.Select(h => h.Key.Key.FailReason).ToArray(),
            statsHistogram.Select(h => (long)h.Key.Kind).ToArray(),
            statsHistogram.Select(h => (long)h.Key.Bucket).ToArray(),
            statsHistogram.Select(h => h.Value).ToArray(),
            histogram.Select(h => h.Key.ReqGroup).ToArray(),
            histogram.Select(h => (long)h.Key.Kind).ToArray(),
            histogram.Select(h => (long)h.Key.Bucket).ToArray(),
            histogram.Select(h => h.Value).ToArray(),
            effects.Queues.ToArray(),
            shard,
            fence?.Cluster,
            fence?.Address,
            fence?.Port,
            fence?.Generation,
            finishing);
    }
}
