namespace JobQueue.Grains;

/// <summary>
/// The ready jobs of one scheduler group, best first (priority, then FIFO). It hands out reservations and parks
/// reserve calls that find nothing until a job becomes ready or their wait ends.
/// </summary>
[Alias("JobQueue.Grains.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Reserves the best ready job for <paramref name="clientId"/>, waiting up to <paramref name="maxWait"/> (capped per call).</summary>
    /// <remarks>A cancelled call stops waiting and takes no job.</remarks>
    [Alias("Reserve")]
    Task<Job?> Reserve(string clientId, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Tells the queue that jobs became ready.</summary>
    [Alias("JobsReady")]
    Task JobsReady(IReadOnlyList<ReadyEntry> entries);

    /// <summary>The best ready job, without reserving it; null if none.</summary>
    [Alias("Peek")]
    Task<ReadyEntry?> Peek(CancellationToken cancellationToken = default);
}
