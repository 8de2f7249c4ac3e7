using JobQueue.Grains;
using JobQueue.Grains.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobQueue.Silo.Web;

/// <summary>
/// Reads the counters on a tick (twice a second while a page watches, every few seconds for the metrics' gauges
/// otherwise) and publishes a new versioned snapshot when anything changed. Every viewer of this manager shares
/// one read per tick, whatever their number.
/// </summary>
public sealed partial class CountsFeed(IGrainFactory grains, JobQueueMetrics metrics, ILogger<CountsFeed> logger) : BackgroundService
{
    private static readonly TimeSpan Watched = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CountsSnapshot? _latest;
    private int _viewers;

    /// <summary>The latest snapshot, or null before the first read.</summary>
    public CountsSnapshot? Latest => Volatile.Read(ref _latest);

    /// <summary>Registers a viewer (faster ticks) until the returned handle is disposed.</summary>
    public IDisposable Watch()
    {
        Interlocked.Increment(ref _viewers);
        _wake.TrySetResult();
        return new Viewer(this);
    }

    /// <summary>Completes with a snapshot newer than <paramref name="version"/>.</summary>
    public async Task<CountsSnapshot> NextAsync(long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_latest is { } latest && latest.Version > version)
                {
                    return latest;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.CountsSource = () => Latest?.ByState;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(Volatile.Read(ref _viewers) > 0).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex);
            }

            var wake = _wake.Task;
            try
            {
                await Task.WhenAny(wake, Task.Delay(Volatile.Read(ref _viewers) > 0 ? Watched : Idle, stoppingToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (wake.IsCompleted)
            {
                _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private async Task RefreshAsync(bool watched)
    {
        var groups = await grains.GetGrain<IJobQueryGrain>(0).GetRepGroupCounts(null).ConfigureAwait(false);
        var previous = Latest;
        ServerStats? stats = previous?.Stats;
        var managers = previous?.Managers ?? 0;
        if (watched || stats is null)
        {
            stats = await grains.GetGrain<IServerGrain>(0).GetStats().ConfigureAwait(false);
            managers = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false)).Count;
        }

        var next = new CountsSnapshot
        {
            TakenAt = DateTimeOffset.UtcNow,
            Groups = groups,
            Total = RepGroupCounts.Sum(groups),
            Stats = stats,
            Managers = managers,
        };
        lock (_lock)
        {
            if (next.SameAs(_latest))
            {
                return;
            }

            _latest = next with { Version = (_latest?.Version ?? 0) + 1 };
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the counters for the web page failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private sealed class Viewer(CountsFeed feed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref feed._viewers);
            }
        }
    }
}
