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

    /// <summary>What every manager heard from lately offers, without recording anything.</summary>
    [Alias("View")]
    Task<CapacityView> View();

    /// <summary>Records why <paramref name="manager"/>'s runners for some scheduler groups have not started (the scheduler's own words, by group).</summary>
    [Alias("Explain")]
    Task Explain(string manager, IReadOnlyDictionary<string, string> pendingByGroup);

    /// <summary>Why runners of each scheduler group are not running yet, as the schedulers that were asked said.</summary>
    [Alias("Explanations")]
    Task<IReadOnlyDictionary<string, string>> Explanations();
}
