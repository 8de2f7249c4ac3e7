using System.Collections.Concurrent;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>
/// Threads of the SQLite store's own. Microsoft.Data.Sqlite's async methods run synchronously, so a query or a commit
/// (with its fsync) would otherwise hold a thread-pool thread, where Orleans runs every grain turn, for its whole
/// length, and a burst of them would starve every grain; here it holds one of these, and the caller's thread is free
/// the moment it awaits.
/// </summary>
internal sealed class SqliteIoThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _work = [];
    private readonly Thread[] _threads;
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

        _work.CompleteAdding();
        foreach (var thread in _threads.Where(t => t != Thread.CurrentThread))
        {
            thread.Join();
        }

        _work.Dispose();
    }

    protected override void QueueTask(Task task)
    {
        if (!_work.TryAdd(task))
        {
            throw new ObjectDisposedException(nameof(SqliteIoThreads), "the store is closed");
        }
    }

    protected override IEnumerable<Task> GetScheduledTasks() => _work.ToArray();

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    private void Run()
    {
        foreach (var task in _work.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
