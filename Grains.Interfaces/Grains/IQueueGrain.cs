namespace JobQueue.Grains;

/// <summary>
/// The ready jobs of one scheduler group, best first (priority, then FIFO). It hands out reservations and parks
/// reserve calls that find nothing until a job becomes ready or their wait ends.
/// </summary>
[Alias("JobQueue.Grains.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves the best ready job under <paramref name="lease"/> ("clientId/token", minted by the client for this call;
    /// a bare client id gets a token minted here), waiting up to <paramref name="maxWait"/> (capped per call). With
    /// <paramref name="startOn"/> (a host), the job is also started there in the same commit (running, its pid not yet known).
    /// </summary>
    /// <remarks>
    /// A cancelled call stops waiting and takes no job. The answer is due within <see cref="JobQueueDefaults.ReserveResponseTimeoutText"/>,
    /// not Orleans' default 30 s: a call whose manager died fails soon, and its client gives back what it may have been granted
    /// (<see cref="IJobActionGrain.Abandon"/>).
    /// </remarks>
    [Alias("Reserve"), ResponseTimeout(JobQueueDefaults.ReserveResponseTimeoutText)]
    Task<Job?> Reserve(string lease, TimeSpan maxWait, string? startOn, CancellationToken cancellationToken = default);

    /// <summary>Tells the queue that jobs became ready.</summary>
    [Alias("JobsReady")]
    Task JobsReady(IReadOnlyList<ReadyEntry> entries);

    /// <summary>Tells the queue that <paramref name="count"/> slots of its limit groups were given back: it stops holding back and wakes as many waiters.</summary>
    [Alias("LimitSlotsFreed"), Orleans.Concurrency.OneWay]
    Task LimitSlotsFreed(int count);

    /// <summary>The best ready job that could be reserved now, without reserving it; null if none (or its limit groups are full).</summary>
    [Alias("Peek")]
    Task<ReadyEntry?> Peek(CancellationToken cancellationToken = default);
}
