using JobQueue.Grains.Manager;

namespace JobQueue.Grains.Queue;

/// <summary>
/// Reserve calls parked in a queue grain until a job is announced, their wait ends (on the injected clock), or the
/// manager starts draining (after which reserves find nothing until their wait ends).
/// </summary>
internal sealed class Waiters : IDisposable
{
    private readonly LinkedList<TaskCompletionSource> _parked = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ModeView _mode;
    private readonly Metrics.JobQueueMetrics _metrics;

    public Waiters(TimeProvider time, ModeView mode, Metrics.JobQueueMetrics metrics)
    {
        _time = time;
        _mode = mode;
        _metrics = metrics;
        mode.Changed += WakeAll;
    }

    /// <summary>How many calls are parked.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _parked.Count;
            }
        }
    }

    /// <summary>
    /// Tries <paramref name="attempt"/> until it returns a job; between tries, parks until woken or until
    /// <paramref name="recheck"/> passes, and gives up (null) after <paramref name="maxWait"/>.
    /// </summary>
    public async Task<Job?> ReserveAsync(TimeSpan maxWait, TimeSpan recheck, Func<Task<Job?>> attempt, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var deadline = started + maxWait;
        while (true)
        {
            // A caller that gave up must not take a job that nobody would run. While the manager drains, reserving
            // finds nothing, as if the queue were empty (the model's behaviour); runners learn of the drain from the mode.
            // While it is paused, the same, until a resume wakes every waiter.
            cancellationToken.ThrowIfCancellationRequested();
            if (_mode.HandsOutJobs && await attempt().ConfigureAwait(true) is { } job)
            {
                _metrics.ReserveWaited(_time.GetUtcNow() - started, reserved: true);
                return job;
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                _metrics.ReserveWaited(_time.GetUtcNow() - started, reserved: false);
                return null;
            }

            await WaitAsync(remaining < recheck ? remaining : recheck, cancellationToken).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// Returns <paramref name="job"/>, unless its caller cancelled meanwhile: then the job is given back (at no retry cost)
    /// and the call ends as cancelled, so no job is ever left reserved for a caller who stopped listening.
    /// </summary>
    public static async Task<Job?> KeepUnlessAbandonedAsync(IGrainFactory grains, Job? job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (job is not null && cancellationToken.IsCancellationRequested)
        {
            await grains.GetJobGrain(job.Key).Release(Leases.Of(job)!, "", TimeSpan.Zero).ConfigureAwait(true);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return job;
    }

    /// <summary>Wakes the <paramref name="count"/> longest-parked calls.</summary>
    public void Wake(int count)
    {
        lock (_lock)
        {
            while (count-- > 0 && _parked.First is { } first)
            {
                _parked.RemoveFirst();
                first.Value.TrySetResult();
            }
        }
    }

    /// <summary>Wakes every parked call.</summary>
    public void WakeAll() => Wake(int.MaxValue);

    /// <summary>Stops following the mode and wakes everyone (the grain is deactivating).</summary>
    public void Dispose()
    {
        _mode.Changed -= WakeAll;
        WakeAll();
    }

    private async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            node = _parked.AddLast(signal);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Task.WhenAny(signal.Task, Task.Delay(timeout, _time, cancel.Token)).ConfigureAwait(true);
        }
        finally
        {
            await cancel.CancelAsync().ConfigureAwait(true);
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _parked.Remove(node);
                }
            }
        }
    }
}
