namespace JobQueue.Grains;

/// <summary>Fires due delays and expired leases; durable through a reminder, precise through a timer.</summary>
[Alias("JobQueue.Grains.IDueJobsGrain")]
public interface IDueJobsGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the grain (its timer runs while it is active).</summary>
    [Alias("Ping")]
    Task Ping();
}
