namespace JobQueue.Grains.Storage.Postgres;

/// <summary>Fencing by membership: a batch commits only while its manager has not been declared dead.</summary>
public sealed partial class PostgresJobStore
{
    private Func<(string Cluster, string Address, int Port, int Generation)?>? _fence;

    /// <summary>
    /// From now on, every batch also asks the membership table whether this manager (cluster, address, port,
    /// generation) was declared dead, in the same statement as its counters; if it was, the whole batch is refused.
    /// </summary>
    public void FenceBy(Func<(string Cluster, string Address, int Port, int Generation)?> identity) => _fence = identity;

    private (string Cluster, string Address, int Port, int Generation)? Fence() => _fence?.Invoke();
}
