using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>Settings every manager of a cluster shares (jq_meta).</summary>
public sealed partial class PostgresJobStore
{
    /// <inheritdoc />
    public override async Task<string> GetOrAddSettingAsync(string name, string value, CancellationToken cancellationToken)
    {
        // The insert's RETURNING answers when this call stored it; the select, when another manager had.
        await using var cmd = _dataSource.CreateCommand(
            "WITH added AS (INSERT INTO jq_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value) " +
            "SELECT value FROM added UNION ALL SELECT value FROM jq_meta WHERE name = $1 LIMIT 1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return (string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public override async Task SetSettingAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand("INSERT INTO jq_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<int> PruneQueuesAsync(CancellationToken cancellationToken)
    {
        // The lock waits for every transaction that registered a group (its upsert holds ROW EXCLUSIVE) and holds new
        // ones back until this commits, so a group whose first ready job commits meanwhile is seen, or registered again.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockQueues = new NpgsqlCommand("LOCK TABLE jq_queues IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
        {
            await lockQueues.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var prune = new NpgsqlCommand(PruneQueuesSql, connection, transaction);
        var pruned = await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pruned;
    }
}
