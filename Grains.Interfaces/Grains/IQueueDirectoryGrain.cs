namespace JobQueue.Grains;

/// <summary>Reservations from any scheduler group: the best head among all queues.</summary>
[Alias("JobQueue.Grains.IQueueDirectoryGrain")]
public interface IQueueDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Reserves the best ready job of any queue, waiting up to <paramref name="maxWait"/> (capped per call).</summary>
    [Alias("ReserveAny")]
    Task<Job?> ReserveAny(string clientId, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Tells the directory that a queue has ready jobs nobody waited for.</summary>
    [Alias("JobsAvailable"), Orleans.Concurrency.OneWay]
    Task JobsAvailable(string queue);
}
