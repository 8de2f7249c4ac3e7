namespace JobQueue.Grains;

/// <summary>Reservations from any scheduler group: the best head among all queues.</summary>
[Alias("JobQueue.Grains.IQueueDirectoryGrain")]
public interface IQueueDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Reserves the best ready job of any queue under <paramref name="lease"/>, waiting up to <paramref name="maxWait"/> (capped per call), as <see cref="IQueueGrain.Reserve"/>.</summary>
    [Alias("ReserveAny"), ResponseTimeout(JobQueueDefaults.ReserveResponseTimeoutText)]
    Task<Job?> ReserveAny(string lease, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Tells the directory that a queue has <paramref name="count"/> ready jobs nobody waited for: it wakes at most that many waiters.</summary>
    [Alias("JobsAvailable"), Orleans.Concurrency.OneWay]
    Task JobsAvailable(string queue, int count);
}
