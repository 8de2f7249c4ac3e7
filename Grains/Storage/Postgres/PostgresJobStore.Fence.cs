using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>Fencing by membership: a batch commits only while its manager has not been declared dead.</summary>
public sealed partial class PostgresJobStore
{
    private Func<(string Cluster, string Address, int Port, int Generation)?>? _fence;

    /// <summary>
    /// From now on, every batch first asks the membership table whether this manager (cluster, address, port,
    /// generation) was declared dead, in the same round trip as its counters; if it was, the whole batch is refused.
    /// </summary>
    public void FenceBy(Func<(string Cluster, string Address, int Port, int Generation)?> identity) => _fence = identity;

    private NpgsqlBatchCommand? FenceStatement() =>
        _fence?.Invoke() is { } me ? Statement("SELECT jq_fence($1, $2, $3, $4)", me.Cluster, me.Address, me.Port, me.Generation) : null;
}
