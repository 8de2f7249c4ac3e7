using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>
/// Limit groups on PostgreSQL. A batch sent in one round trip moves its slots first (jq_move_slots), and fails whole
/// if a lease in it does not fit; the change-by-change replay then takes each lease's slots on its own
/// (jq_take_slots), so only the leases that do not fit are refused.
/// </summary>
public sealed partial class PostgresJobStore
{
    private const string LimitFullState = "JQ429";

    /// <inheritdoc />
    public override async Task SetLimitAsync(string name, int? limit, CancellationToken cancellationToken)
    {
        await using var cmd = _dataSource.CreateCommand(SetLimitSql);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("lim", (long)(limit ?? -1));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statement that moves a batch's slots at once, or null when no change in it takes or gives one.</summary>
    private static NpgsqlBatchCommand? MoveSlotsStatement(IEnumerable<JobChange> changes)
    {
        var net = LimitSlots.Net(changes);
        return net.Count == 0
            ? null
            : Statement("SELECT jq_move_slots($1::text[], $2::bigint[])", net.Keys.ToArray(), net.Values.ToArray());
    }

    /// <summary>
    /// Commits changes one at a time (within the caller's transaction): each lease takes its slots first, and is refused
    /// if a group is full; a change that commits gives back the slots its lease held.
    /// </summary>
    private static async Task<WriteOutcome[]> ChangeWithSlotsAsync(NpgsqlConnection connection, List<JobChange> changes, BatchEffects effects, CancellationToken cancellationToken)
    {
        var outcomes = new WriteOutcome[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var taken = LimitSlots.Taken(change);
            if (taken.Count > 0)
            {
                await using var take = new NpgsqlCommand("SELECT jq_take_slots($1::text[])", connection);
                take.Parameters.Add(new NpgsqlParameter { Value = taken.ToArray() });
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string full)
                {
                    outcomes[i] = new LimitFull(full);
                    continue;
                }
            }

            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(ChangeStatement(change, expectOne: false));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            var committed = batch.BatchCommands[0].RecordsAffected == 1;
            outcomes[i] = committed ? Committed.Instance : VersionConflict.Instance;
            var back = committed ? LimitSlots.Given(change) : taken;
            if (committed)
            {
                effects.Changed(change);
            }

            if (back.Count > 0)
            {
                await using var give = new NpgsqlCommand("SELECT jq_move_slots($1::text[], $2::bigint[])", connection);
                give.Parameters.Add(new NpgsqlParameter { Value = back.ToArray() });
                give.Parameters.Add(new NpgsqlParameter { Value = back.Select(_ => -1L).ToArray() });
                await give.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return outcomes;
    }
}
