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
}
