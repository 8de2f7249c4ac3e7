namespace JobQueue.Grains.Queue;

/// <summary>Reserve calls parked in a grain until woken or until their wait ends (on the injected clock).</summary>
internal sealed class Waiters(TimeProvider time)
{
    private readonly LinkedList<TaskCompletionSource> _parked = new();
    private readonly Lock _lock = new();

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

    /// <summary>Parks the caller until woken or until <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
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
            await Task.WhenAny(signal.Task, Task.Delay(timeout, time, cancel.Token)).ConfigureAwait(true);
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
}
