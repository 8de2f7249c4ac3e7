namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>
/// Threads of the SQLite store's own. Microsoft.Data.Sqlite's async methods run synchronously, so a query or a commit
/// (with its fsync) would otherwise hold a thread-pool thread, where Orleans runs every grain turn, for its whole
/// length, and a burst of them would starve every grain; here it holds one of these, and the caller's thread is free
/// the moment it awaits. An idle thread sleeps on a monitor rather than spinning first (as BlockingCollection's
/// semaphore does): on two cores, the spinning of idle store threads took CPU from the commands being run.
/// </summary>
internal sealed class SqliteIoThreads : TaskScheduler, IDisposable
{
    private readonly Queue<Task> _work = new();
    private readonly object _lock = new();
    private readonly Thread[] _threads;
    private bool _closed;
    private int _disposed;

    public SqliteIoThreads(string name, int count)
    {
        _threads = [.. Enumerable.Range(1, count).Select(i => new Thread(Run) { IsBackground = true, Name = $"{name} {i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>Runs <paramref name="work"/> on one of these threads; what it awaits synchronously stays there.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <summary>Lets the threads finish what was queued, then ends them.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }

        foreach (var thread in _threads.Where(t => t != Thread.CurrentThread))
        {
            thread.Join();
        }
    }

    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _work.Enqueue(task);
            Monitor.Pulse(_lock);
        }
    }

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return [.. _work];
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    private void Run()
    {
        while (Next() is { } task)
        {
            TryExecuteTask(task);
        }
    }

    /// <summary>The next task queued, waiting for one; null once closed and drained.</summary>
    private Task? Next()
    {
        lock (_lock)
        {
            while (_work.Count == 0)
            {
                if (_closed)
                {
                    return null;
                }

                Monitor.Wait(_lock);
            }

            return _work.Dequeue();
        }
    }
}
