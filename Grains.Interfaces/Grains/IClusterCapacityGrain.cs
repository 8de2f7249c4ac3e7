namespace JobQueue.Grains;

/// <summary>
/// What each manager's scheduler can give one runner (its machine's size), so that a job is called impossible only
/// when no machine of the cluster could run it, never because it exceeds the host of the manager that looked.
/// </summary>
[Alias("JobQueue.Grains.IClusterCapacityGrain")]
public interface IClusterCapacityGrain : IGrainWithIntegerKey
{
    /// <summary>Records what <paramref name="manager"/> (its gateway, "host:port") offers; returns what every manager heard from lately offers.</summary>
    [Alias("Offer")]
    Task<CapacityView> Offer(string manager, MachineSize size);
}
