namespace JobQueue.Grains.Queue;

/// <summary>
/// Sends the queue's notifications (jobs ready, jobs available) from a thread-pool thread rather than from inside the
/// sending grain's turn. Orleans delivers a call to a grain of the same silo on the sending thread, taking the target
/// activation's lock while the sender's is held; a queue announcing to the directory while the directory asks that
/// queue for its head (or a job announcing itself while its queue reserves it) would then wait on each other for
/// ever. Sent from outside the turn, neither holds its own lock while it waits. The caller still awaits the result.
/// </summary>
internal static class Announcements
{
    /// <summary>Makes <paramref name="call"/> from outside the current grain turn; completes when it does.</summary>
    public static Task SendAsync(Func<Task> call) => Task.Run(call);

    /// <summary>
    /// Tells the queue of each of <paramref name="jobs"/> that they are ready, one call per queue. A queue that could not
    /// be told is passed to <paramref name="failed"/> (with the key of its first job); the jobs are committed, and it finds
    /// them in the store when it next looks.
    /// </summary>
    public static Task JobsReadyAsync(IGrainFactory grains, IEnumerable<Storage.JobRecord> jobs, Action<Exception, string, string> failed) =>
        JobsReadyAsync(grains, jobs.Select(j => (j.Queue, j.ReadyEntry)), failed);

    /// <summary>As above, for jobs given by their queue and place in it.</summary>
    public static async Task JobsReadyAsync(IGrainFactory grains, IEnumerable<(string Queue, ReadyEntry Entry)> jobs, Action<Exception, string, string> failed)
    {
        foreach (var queue in jobs.GroupBy(j => j.Queue, StringComparer.Ordinal))
        {
            try
            {
                var grain = grains.GetQueueGrain(queue.Key);
                ReadyEntry[] entries = [.. queue.Select(j => j.Entry)];
                await SendAsync(() => grain.JobsReady(entries)).ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is not JobQueueException)
            {
                failed(ex, queue.Key, queue.First().Entry.Key);
            }
        }
    }
}
