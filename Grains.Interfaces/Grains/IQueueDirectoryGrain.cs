namespace JobQueue.Grains;

/// <summary>Reservations from any scheduler group: the best head among all queues.</summary>
[Alias("JobQueue.Grains.IQueueDirectoryGrain")]
public interface IQueueDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Reserves the best ready job of any queue under <paramref name="lease"/>, waiting up to <paramref name="maxWait"/> (capped per call), and starting it on <paramref name="startOn"/> if given, as <see cref="IQueueGrain.Reserve"/>.</summary>
    [Alias("ReserveAny"), ResponseTimeout(JobQueueDefaults.ReserveResponseTimeoutText)]
    Task<Job?> ReserveAny(string lease, TimeSpan maxWait, string? startOn, CancellationToken cancellationToken = default);

    /// <summary>Tells the directory that a queue has <paramref name="count"/> ready jobs nobody waited for: it wakes at most that many waiters.</summary>
    [Alias("JobsAvailable"), Orleans.Concurrency.OneWay]
    Task JobsAvailable(string queue, int count);

    /// <summary>Tells the directory that <paramref name="queue"/> holds its jobs back because one of its limit groups is full.</summary>
    [Alias("QueueHeldBack"), Orleans.Concurrency.OneWay]
    Task QueueHeldBack(string queue);

    /// <summary>Tells the directory that slots of these limit groups were given back (a name once per slot): it wakes the queues held back by them.</summary>
    [Alias("LimitSlotsFreed"), Orleans.Concurrency.OneWay]
    Task LimitSlotsFreed(string[] groups);
}
