namespace JobQueue.Grains.Manager;

/// <summary>
/// Tells this manager's scheduler that a scheduler group has ready jobs no runner is waiting for, so that it looks for
/// runners to start at once rather than at its next regular look. Signals that come while the scheduler is busy are
/// kept for its next wait, and any number of them count as one: each look reads the whole picture from the store.
/// </summary>
public sealed class RunnerDemand
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Jobs wait for runners (called after they were committed).</summary>
    public void Signal() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>
    /// Waits for a signal sent since the last wait ended, or for <paramref name="timeout"/>. What was signalled before
    /// this returns is seen by a look that starts after it.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var pending = Volatile.Read(ref _next);
        try
        {
            await pending.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The regular look.
        }

        Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), pending);
    }

    /// <summary>
    /// A scheduler's pause between two looks: at least <paramref name="soonest"/> (each look costs reads), then until a
    /// signal or <paramref name="latest"/> after the last look, whichever comes first.
    /// </summary>
    public async Task WaitForLookAsync(TimeSpan soonest, TimeSpan latest, TimeProvider time, CancellationToken cancellationToken)
    {
        var first = soonest < latest ? soonest : latest;
        await Task.Delay(first, time, cancellationToken).ConfigureAwait(false);
        await WaitAsync(latest - first, time, cancellationToken).ConfigureAwait(false);
    }
}
