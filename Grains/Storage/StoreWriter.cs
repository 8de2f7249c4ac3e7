using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Storage;

/// <summary>
/// Group commit: gathers the writes of many grains into one transaction, and acknowledges each caller only after
/// that transaction committed. While one batch commits, the next one gathers, so the batch size grows with load.
/// </summary>
public sealed partial class StoreWriter : IAsyncDisposable
{
    private const int MaxBatchWeight = 20_000;

    // Writes waiting beyond this make their callers wait (backpressure) instead of memory growing without limit.
    private const int MaxQueued = 50_000;
    private static readonly TimeSpan SlowBatch = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);

    private readonly IJobStore _store;
    private readonly ILogger<StoreWriter> _logger;
    private readonly Metrics.JobQueueMetrics? _metrics;
    private readonly Channel<Pending> _channel = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private Task? _loop;

    /// <summary>Creates a writer over <paramref name="store"/>; call <see cref="Start"/> before writing.</summary>
    public StoreWriter(IJobStore store, ILogger<StoreWriter> logger, Metrics.JobQueueMetrics? metrics = null)
    {
        _store = store;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>
    /// How long a batch that failed for a passing reason (the database restarting, a connection lost, SQLite busy) is
    /// tried again, as a whole, with backoff, before its writes fail. Below the 10 s within which a runner's report must
    /// be answered. Default: 8 seconds.
    /// </summary>
    public TimeSpan TransientRetryWindow { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The clock of the retry backoff (real time unless a test says otherwise).</summary>
    public TimeProvider RetryClock { get; init; } = TimeProvider.System;

    /// <summary>How many batches were committed.</summary>
    public long BatchesCommitted { get; private set; }

    /// <summary>How many writes were committed.</summary>
    public long WritesCommitted { get; private set; }

    /// <summary>Starts the loop that commits batches.</summary>
    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>Queues a write (waiting while the queue is full) and completes when it is committed (or fails).</summary>
    public async Task<WriteOutcome> WriteAsync(StoreWrite write)
    {
        var pending = new Pending(write, new TaskCompletionSource<WriteOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(pending))
        {
            try
            {
                await _channel.Writer.WriteAsync(pending).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new JobQueueException(JobQueueErrorKind.QueueClosed, "Write", detail: "the store is shutting down");
            }
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Commits what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private static int Weight(StoreWrite write) => write is InsertJobs insert ? Math.Max(1, insert.Jobs.Count) : 1;

    private async Task LoopAsync()
    {
        var batch = new List<Pending>();
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var weight = 0;
            while (weight < MaxBatchWeight && reader.TryPeek(out var next) && (batch.Count == 0 || weight + Weight(next.Write) <= MaxBatchWeight))
            {
                reader.TryRead(out var pending);
                batch.Add(pending!);
                weight += Weight(pending!.Write);
            }

            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The loop must outlive anything unexpected, or every later write would wait forever.
                LogLoopFailed(_logger, ex);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(new JobQueueException(JobQueueErrorKind.DbError, "Write", detail: ex.Message));
                }
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var since = RetryClock.GetTimestamp();
        var wait = FirstRetry;
        while (true)
        {
            try
            {
                await CommitOnceAsync(batch).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && RetryClock.GetElapsedTime(since) + wait <= TransientRetryWindow)
            {
                // The database is away for a moment: the whole batch waits and goes again, rather than each write
                // failing (or, one by one, timing out) on its own.
                LogTransientFailure(_logger, ex, batch.Count, wait.TotalMilliseconds);
                await Task.Delay(wait, RetryClock).ConfigureAwait(false);
                wait = wait * 2 < MaxRetry ? wait * 2 : MaxRetry;
            }
            catch (Exception ex) when (batch.Count > 1 && !IsTransient(ex))
            {
                // One bad write must not fail its neighbours: retry each alone so only the culprit fails.
                LogBatchFailed(_logger, ex, batch.Count);
                foreach (var pending in batch)
                {
                    await CommitAsync([pending]).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception ex)
            {
                LogWriteFailed(_logger, ex, batch[0].Write.GetType().Name);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(new JobQueueException(JobQueueErrorKind.DbError, "Write", detail: ex.Message));
                }

                return;
            }
        }
    }

    private async Task CommitOnceAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var writes = batch.Select(p => p.Write).ToArray();
        var outcomes = await _store.WriteAsync(writes, CancellationToken.None).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics?.Committed(writes, outcomes, elapsed);
        if (elapsed > SlowBatch)
        {
            LogSlowBatch(_logger, batch.Count, elapsed.TotalMilliseconds);
        }

        BatchesCommitted++;
        WritesCommitted += batch.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is System.Data.Common.DbException { IsTransient: true } || ex.InnerException is System.Data.Common.DbException { IsTransient: true } || ex is TimeoutException or System.Net.Sockets.SocketException;

    private sealed record Pending(StoreWrite Write, TaskCompletionSource<WriteOutcome> Completion);
}
